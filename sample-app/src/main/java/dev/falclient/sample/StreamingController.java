package dev.falclient.sample;

import dev.falclient.AsyncFalClient;
import dev.falclient.FalException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The streaming demo: relays a streaming run's events from fal to the browser as they arrive.
 *
 * <pre>
 * POST /streams {"prompt": "..."}  -> text/event-stream: "partial" events (fal's event data, in order), then
 *                                     "done", or "failed" {"message", "reference"} when fal fails mid-way
 * </pre>
 *
 * <p>A POST, not a GET: a streaming run is paid for, and a GET can be triggered by any web site (a link, an image,
 * an {@code EventSource}); the page reads the event stream from {@code fetch}.
 *
 * <p>A browser that closes the page cancels the flux, which closes the connection to fal: nothing streams on for
 * nobody.
 */
@RestController
public class StreamingController {

    private static final Logger log = LoggerFactory.getLogger(StreamingController.class);
    private static final int MAX_PROMPT = 2_000;

    private final AsyncFalClient fal;
    private final StreamingProperties properties;

    public StreamingController(AsyncFalClient fal, StreamingProperties properties) {
        this.fal = fal;
        this.properties = properties;
    }

    /** The body of {@code POST /streams}. */
    public record StreamRequest(String prompt) {
    }

    @PostMapping(path = "/streams", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public Flux<ServerSentEvent<Object>> stream(@RequestBody(required = false) StreamRequest body) {
        String prompt = body == null || body.prompt() == null ? "" : body.prompt();
        if (prompt.isBlank() || prompt.length() > MAX_PROMPT) {
            throw new IllegalArgumentException("prompt must have 1 to " + MAX_PROMPT + " characters");
        }
        return fal.stream(properties.endpointId(), Map.of("prompt", prompt))
                .map(event -> ServerSentEvent.<Object>builder(event).event("partial").build())
                .concatWith(Mono.just(ServerSentEvent.builder().event("done").data((Object) Map.of()).build()))
                .onErrorResume(FalException.class, e -> {
                    String reference = UUID.randomUUID().toString();
                    log.warn("Streaming from {} failed [reference {}]: {}", properties.endpointId(), reference,
                            e.getMessage());
                    Map<String, Object> error = new LinkedHashMap<>();
                    error.put("message", "The stream did not complete; reference " + reference);
                    error.put("reference", reference);
                    return Mono.just(ServerSentEvent.builder().event("failed").data((Object) error).build());
                });
    }
}
