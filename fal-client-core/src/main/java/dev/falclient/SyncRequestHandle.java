package dev.falclient;

import java.time.Duration;
import java.util.Objects;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * A request in fal's queue, blocking flavour. Owns its {@link FalRequest}: store {@link #request()} to resume it
 * later, in any process, with {@link FalClient#handle(FalRequest)}.
 *
 * <pre>{@code
 * SyncRequestHandle handle = fal.submit("fal-ai/fast-sdxl", Map.of("prompt", "a landscape"));
 * try (Stream<Status> events = handle.iterEvents(true, Duration.ofMillis(100))) {
 *     events.forEach(System.out::println);
 * }
 * JsonNode result = handle.get();
 * }</pre>
 */
public final class SyncRequestHandle {

    private final AsyncRequestHandle async;

    SyncRequestHandle(AsyncRequestHandle async) {
        this.async = async;
    }

    /**
     * A handle for a request created elsewhere (another process, a webhook, a stored id).
     *
     * @param endpointId the endpoint id the request was submitted to, e.g. {@code fal-ai/flux/dev}
     */
    public static SyncRequestHandle fromRequestId(FalClient client, String endpointId, String requestId) {
        return Objects.requireNonNull(client, "client").handle(endpointId, requestId);
    }

    /** The request: ids and fal's URLs, ready to store and resume from. */
    public FalRequest request() {
        return async.request();
    }

    /** fal's request id. */
    public String requestId() {
        return async.requestId();
    }

    /** The endpoint id the request was submitted to. */
    public String endpointId() {
        return async.endpointId();
    }

    /** One status call without logs. */
    public Status status() {
        return async.status().block();
    }

    /** One status call. */
    public Status status(boolean withLogs) {
        return async.status(withLogs).block();
    }

    /** Polls every 100 ms without logs until the first {@link Completed} (included). Close the stream to stop. */
    public Stream<Status> iterEvents() {
        return iterEvents(false);
    }

    /** Polls every 100 ms until the first {@link Completed} (included). Close the stream to stop. */
    public Stream<Status> iterEvents(boolean withLogs) {
        return iterEvents(withLogs, AsyncRequestHandle.DEFAULT_EVENT_INTERVAL);
    }

    /** Polls at {@code interval} until the first {@link Completed} (included). Close the stream to stop. */
    public Stream<Status> iterEvents(boolean withLogs, Duration interval) {
        return async.iterEvents(withLogs, interval).toStream(1);
    }

    /** Asks fal to cancel; returns normally when fal accepted it or the request had already completed. */
    public void cancel() {
        async.cancel().block();
    }

    /**
     * Waits for completion (bounded by the client's wait timeout), then fetches the output; without waiting when
     * this handle has already seen {@link Completed}.
     */
    public JsonNode get() {
        return async.get().block();
    }

    /** {@link #get()} mapped onto {@code type}. */
    public <T> T get(Class<T> type) {
        return async.get(type).block();
    }

    /** The reactive flavour of this handle. */
    public AsyncRequestHandle async() {
        return async;
    }

    @Override
    public String toString() {
        return "SyncRequestHandle[" + endpointId() + ", " + requestId() + "]";
    }
}
