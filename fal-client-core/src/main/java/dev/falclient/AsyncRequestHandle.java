package dev.falclient;

import java.time.Duration;
import java.util.Objects;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * A request in fal's queue, reactive flavour. Immutable and cheap; persist {@link #endpointId()} and
 * {@link #requestId()} to resume it from another process with {@link #fromRequestId}.
 *
 * <pre>{@code
 * fal.submit("fal-ai/fast-sdxl", Map.of("prompt", "a cat"))
 *    .flatMapMany(handle -> handle.iterEvents(true))
 *    .subscribe(status -> log.info("{}", status));
 * }</pre>
 */
public final class AsyncRequestHandle {

    static final Duration DEFAULT_EVENT_INTERVAL = Duration.ofMillis(100);

    private final DefaultAsyncFalClient client;
    private final String endpointId;
    private final EndpointId parsedId;
    private final String requestId;
    private final String statusUrl;
    private final String responseUrl;
    private final String cancelUrl;

    AsyncRequestHandle(DefaultAsyncFalClient client, String endpointId, EndpointId parsedId, String requestId,
                       String statusUrl, String responseUrl, String cancelUrl) {
        this.client = client;
        this.endpointId = endpointId;
        this.parsedId = parsedId;
        this.requestId = requestId;
        this.statusUrl = statusUrl;
        this.responseUrl = responseUrl;
        this.cancelUrl = cancelUrl;
    }

    /**
     * A handle for a request created elsewhere (another process, a webhook, a stored id).
     *
     * @param application the endpoint id the request was submitted to, e.g. {@code fal-ai/flux/dev}
     */
    public static AsyncRequestHandle fromRequestId(AsyncFalClient client, String application, String requestId) {
        return Objects.requireNonNull(client, "client").handle(application, requestId);
    }

    /** fal's request id. */
    public String requestId() {
        return requestId;
    }

    /** The endpoint id the request was submitted to. */
    public String endpointId() {
        return endpointId;
    }

    /** URL of the status call. */
    public String statusUrl() {
        return statusUrl;
    }

    /** URL of the result call. */
    public String responseUrl() {
        return responseUrl;
    }

    /** URL of the cancel call. */
    public String cancelUrl() {
        return cancelUrl;
    }

    EndpointId parsedId() {
        return parsedId;
    }

    FalRequest request() {
        return new FalRequest(endpointId, requestId);
    }

    /** One status call without logs. */
    public Mono<Status> status() {
        return status(false);
    }

    /** One status call. */
    public Mono<Status> status(boolean withLogs) {
        return client.status(this, withLogs);
    }

    /** Polls every 100 ms without logs; completes after the first {@link Completed}. */
    public Flux<Status> iterEvents() {
        return iterEvents(false);
    }

    /** Polls every 100 ms; completes after the first {@link Completed}. */
    public Flux<Status> iterEvents(boolean withLogs) {
        return iterEvents(withLogs, DEFAULT_EVENT_INTERVAL);
    }

    /** Polls at {@code interval}; completes after the first {@link Completed}. Cancel to stop early. */
    public Flux<Status> iterEvents(boolean withLogs, Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive, was " + interval);
        }
        return client.poll(this, withLogs, interval);
    }

    /**
     * Watches the request with the client's default {@link StatusMode} (streaming with polling fallback unless
     * configured otherwise); completes after the first {@link Completed}.
     */
    public Flux<Status> watch(boolean withLogs) {
        return client.watch(this, withLogs, null, null);
    }

    /** Asks fal to cancel; completes normally when fal accepted it or the request had already completed. */
    public Mono<Void> cancel() {
        return client.cancel(this);
    }

    /** Waits for completion (bounded by the client's wait timeout), then fetches the output. */
    public Mono<JsonNode> get() {
        return client.awaitResult(this);
    }

    /** {@link #get()} mapped onto {@code type}. */
    public <T> Mono<T> get(Class<T> type) {
        Objects.requireNonNull(type, "type");
        return get().map(node -> client.convert(node, type, requestId));
    }

    /** A blocking view of this handle. */
    public SyncRequestHandle blocking() {
        return new SyncRequestHandle(this);
    }

    @Override
    public String toString() {
        return "AsyncRequestHandle[" + endpointId + ", " + requestId + "]";
    }
}
