package dev.falclient;

import dev.falclient.internal.json.FalJson;
import dev.falclient.internal.queue.QueueClient;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * A request in fal's queue, reactive flavour. Owns its {@link FalRequest} (ids and fal's URLs): store
 * {@link #request()} to resume it from another process with {@link AsyncFalClient#handle(FalRequest)}.
 *
 * <pre>{@code
 * fal.submit("fal-ai/fast-sdxl", Map.of("prompt", "a cat"))
 *    .flatMapMany(handle -> handle.iterEvents(true))
 *    .subscribe(status -> log.info("{}", status));
 * }</pre>
 *
 * <p>Once this handle has seen {@link Completed} (through {@link #status()}, {@link #iterEvents()} or
 * {@link #watch(boolean)}), {@link #get()} fetches the result at once instead of waiting again.
 */
public final class AsyncRequestHandle {

    static final Duration DEFAULT_EVENT_INTERVAL = Duration.ofMillis(100);

    private final FalRequest request;
    private final QueueClient queue;
    private final FalJson json;
    private final AtomicReference<Completed> completed = new AtomicReference<>();

    AsyncRequestHandle(FalRequest request, QueueClient queue, FalJson json) {
        this.request = request;
        this.queue = queue;
        this.json = json;
    }

    /**
     * A handle for a request created elsewhere (another process, a webhook, a stored id).
     *
     * @param endpointId the endpoint id the request was submitted to, e.g. {@code fal-ai/flux/dev}
     */
    public static AsyncRequestHandle fromRequestId(AsyncFalClient client, String endpointId, String requestId) {
        return Objects.requireNonNull(client, "client").handle(endpointId, requestId);
    }

    /** The request: ids and fal's URLs, ready to store and resume from. */
    public FalRequest request() {
        return request;
    }

    /** fal's request id. */
    public String requestId() {
        return request.requestId();
    }

    /** The endpoint id the request was submitted to. */
    public String endpointId() {
        return request.endpointId();
    }

    /** URL of the status call. */
    public String statusUrl() {
        return request.statusUrl();
    }

    /** URL of the result call. */
    public String responseUrl() {
        return request.responseUrl();
    }

    /** URL of the cancel call. */
    public String cancelUrl() {
        return request.cancelUrl();
    }

    /** One status call without logs. */
    public Mono<Status> status() {
        return status(false);
    }

    /** One status call. */
    public Mono<Status> status(boolean withLogs) {
        return queue.status(request, withLogs).doOnNext(this::remember);
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
        return queue.poll(request, withLogs, interval).doOnNext(this::remember);
    }

    /**
     * Watches the request with the client's default {@link StatusMode} (streaming with polling fallback unless
     * configured otherwise); completes after the first {@link Completed}.
     */
    public Flux<Status> watch(boolean withLogs) {
        return queue.watch(request, withLogs).doOnNext(this::remember);
    }

    /** Asks fal to cancel; completes normally when fal accepted it or the request had already completed. */
    public Mono<Void> cancel() {
        return queue.cancel(request);
    }

    /**
     * Waits for completion (bounded by the client's wait timeout), then fetches the output; without waiting when
     * this handle has already seen {@link Completed}.
     */
    public Mono<JsonNode> get() {
        return Mono.defer(() -> {
            Completed seen = completed.get();
            return seen != null ? queue.result(request, seen) : queue.awaitResult(request);
        });
    }

    /**
     * {@link #get()} mapped onto {@code type}; {@code byte[].class} and {@code String.class} give the result as it
     * came, for endpoints whose output is not JSON.
     */
    @SuppressWarnings("unchecked")
    public <T> Mono<T> get(Class<T> type) {
        Objects.requireNonNull(type, "type");
        if (type == byte[].class || type == String.class) {
            return Mono.defer(() -> {
                Completed seen = completed.get();
                return seen != null ? queue.resultReply(request, seen) : queue.awaitResultReply(request);
            }).map(reply -> (T) (type == byte[].class ? reply.body()
                    : new String(reply.body(), java.nio.charset.StandardCharsets.UTF_8)));
        }
        return get().map(node -> json.convert(node, type, request.requestId()));
    }

    /** A blocking view of this handle. */
    public SyncRequestHandle blocking() {
        return new SyncRequestHandle(this);
    }

    private void remember(Status status) {
        if (status instanceof Completed c) {
            completed.compareAndSet(null, c);
        }
    }

    @Override
    public String toString() {
        return "AsyncRequestHandle[" + request.endpointId() + ", " + request.requestId() + "]";
    }
}
