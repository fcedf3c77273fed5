package dev.falclient.spring.event;

import dev.falclient.FalException;
import dev.falclient.FalRequest;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The client fetched the request's output (through get, result, subscribe, or background tracking of a
 * {@code track(true)} submit). This is how an event listener consumes outputs.
 *
 * <pre>{@code
 * @EventListener
 * void on(FalRequestResultEvent e) {
 *     ImageOutput out = e.getResult(ImageOutput.class);
 *     gallery.add(e.getRequestId(), out.images().get(0).url());
 * }
 * }</pre>
 */
public class FalRequestResultEvent extends FalRequestEvent {

    private static final long serialVersionUID = 1L;

    /**
     * The mapper of events built without the client's: a plain one (not the application's), like the client's
     * default, tolerant of output fields the target type does not declare.
     */
    private static final JsonMapper PLAIN_MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final transient JsonNode result;
    private final transient JsonMapper mapper;

    /** {@code request} produced {@code result}; {@link #getResult(Class)} maps with a plain mapper. */
    public FalRequestResultEvent(FalRequest request, JsonNode result) {
        this(request, result, PLAIN_MAPPER);
    }

    /**
     * {@code request} produced {@code result}; {@link #getResult(Class)} maps with {@code mapper}, normally the
     * client's ({@link dev.falclient.AsyncFalClient#jsonMapper()}), as the starter's {@link FalEventPublisher} does.
     */
    public FalRequestResultEvent(FalRequest request, JsonNode result, JsonMapper mapper) {
        super(request);
        this.result = Objects.requireNonNull(result, "result");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /** The output as JSON. */
    public JsonNode getResult() {
        return result;
    }

    /**
     * The output mapped onto {@code type} with the client's JSON mapper (events published by the starter), so it
     * maps exactly as {@code subscribe(..., type)} would.
     *
     * @throws FalException when the output cannot be mapped onto {@code type}
     */
    public <T> T getResult(Class<T> type) {
        Objects.requireNonNull(type, "type");
        try {
            return mapper.treeToValue(result, type);
        } catch (JacksonException e) {
            throw new FalException("fal's output of request " + getRequestId() + " cannot be mapped onto "
                    + type.getName() + ": " + e.getOriginalMessage(), getRequestId(), e);
        }
    }
}
