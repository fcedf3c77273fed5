package dev.falclient;

import dev.falclient.realtime.AsyncFalRealtime;
import dev.falclient.storage.AsyncFalStorage;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The reactive fal client: every call returns a cold {@link Mono} that does nothing until subscribed, and never
 * blocks a thread. Thread-safe; create one per application and share it.
 *
 * <pre>{@code
 * AsyncFalClient fal = AsyncFalClient.builder().build();            // key from FAL_KEY
 * fal.submit("fal-ai/fast-sdxl", Map.of("prompt", "a landscape"))
 *    .flatMap(handle -> handle.get())
 *    .subscribe(result -> System.out.println(result.get("images").get(0).get("url").asString()));
 * }</pre>
 *
 * <p>Endpoint ids are validated when a method is called: a blank or malformed id, or arguments that cannot be
 * serialised to JSON, throw {@link IllegalArgumentException} immediately.
 */
public interface AsyncFalClient extends AutoCloseable {

    /** A builder with fal's defaults. */
    static Builder builder() {
        return new Builder();
    }

    /** Submits to fal's queue; the handle carries the request id before any waiting starts. */
    default Mono<AsyncRequestHandle> submit(String endpointId, Object arguments) {
        return submit(endpointId, arguments, SubmitOptions.DEFAULTS);
    }

    /** Submits to fal's queue with options (webhook, priority, hint, start timeout, headers, tracking). */
    Mono<AsyncRequestHandle> submit(String endpointId, Object arguments, SubmitOptions options);

    /** Runs directly on {@code fal.run} and returns the output (no queue, no platform retries). */
    default Mono<JsonNode> run(String endpointId, Object arguments) {
        return run(endpointId, arguments, RunOptions.DEFAULTS);
    }

    /** Runs directly with options. */
    Mono<JsonNode> run(String endpointId, Object arguments, RunOptions options);

    /** Runs directly and maps the output onto {@code type}. */
    default <T> Mono<T> run(String endpointId, Object arguments, Class<T> type) {
        return run(endpointId, arguments, RunOptions.DEFAULTS, type);
    }

    /** Runs directly with options and maps the output onto {@code type}. */
    <T> Mono<T> run(String endpointId, Object arguments, RunOptions options, Class<T> type);

    /**
     * Streams a run from {@code fal.run/{endpointId}/stream} (no queue, no platform retries): one element per event,
     * in order, the last being the final output. Nothing is sent until subscribed; cancelling closes the connection.
     * A non-2xx answer or an error event ends the flux with the exception {@code run} would throw (fal's
     * {@code detail} included); every wait is bounded (see {@link StreamOptions}).
     *
     * <pre>{@code
     * fal.stream("fal-ai/any-llm", Map.of("prompt", "a haiku"))
     *    .subscribe(event -> System.out.println(event.path("output").asString()));
     * }</pre>
     */
    default Flux<JsonNode> stream(String endpointId, Object arguments) {
        return stream(endpointId, arguments, StreamOptions.DEFAULTS);
    }

    /** Streams a run with options (path, headers, hint, timeouts). */
    Flux<JsonNode> stream(String endpointId, Object arguments, StreamOptions options);

    /** Streams a run, mapping each event onto {@code type}. */
    default <T> Flux<T> stream(String endpointId, Object arguments, Class<T> type) {
        return stream(endpointId, arguments, StreamOptions.DEFAULTS, type);
    }

    /** Streams a run with options, mapping each event onto {@code type}. */
    <T> Flux<T> stream(String endpointId, Object arguments, StreamOptions options, Class<T> type);

    /** Submits, waits for completion, and fetches the output. */
    default Mono<JsonNode> subscribe(String endpointId, Object arguments) {
        return subscribe(endpointId, arguments, SubscribeOptions.DEFAULTS);
    }

    /** Submits, waits for completion (with callbacks and a client deadline), and fetches the output. */
    Mono<JsonNode> subscribe(String endpointId, Object arguments, SubscribeOptions options);

    /** {@link #subscribe(String, Object)} mapped onto {@code type}. */
    default <T> Mono<T> subscribe(String endpointId, Object arguments, Class<T> type) {
        return subscribe(endpointId, arguments, SubscribeOptions.DEFAULTS, type);
    }

    /** {@link #subscribe(String, Object, SubscribeOptions)} mapped onto {@code type}. */
    <T> Mono<T> subscribe(String endpointId, Object arguments, SubscribeOptions options, Class<T> type);

    /** A handle for a request submitted earlier, possibly by another process. Makes no call. */
    AsyncRequestHandle handle(String endpointId, String requestId);

    /**
     * A handle resuming a stored {@link FalRequest} (from {@code handle.request()}, a listener or an event). Uses the
     * URLs fal returned when they lie below the configured queue URL, else derives them from the ids. Makes no call.
     */
    AsyncRequestHandle handle(FalRequest request);

    /** One status call. */
    default Mono<Status> status(String endpointId, String requestId, boolean withLogs) {
        return handle(endpointId, requestId).status(withLogs);
    }

    /** Waits for the request to complete, then fetches its output. */
    default Mono<JsonNode> result(String endpointId, String requestId) {
        return handle(endpointId, requestId).get();
    }

    /** {@link #result(String, String)} mapped onto {@code type}. */
    default <T> Mono<T> result(String endpointId, String requestId, Class<T> type) {
        return handle(endpointId, requestId).get(type);
    }

    /** Asks fal to cancel the request; completes normally if it was cancelled or had already completed. */
    default Mono<Void> cancel(String endpointId, String requestId) {
        return handle(endpointId, requestId).cancel();
    }

    /**
     * Uploads to fal's storage, returning public URLs for model inputs.
     *
     * <pre>{@code fal.storage().upload(Path.of("cat.png")).flatMap(url -> fal.run(id, Map.of("image_url", url)))}</pre>
     */
    AsyncFalStorage storage();

    /**
     * fal's realtime WebSocket API: a {@code Flux} of outputs fed by a {@code Flux} of inputs, authenticated by
     * short-lived tokens the client fetches and refreshes.
     *
     * <pre>{@code fal.realtime().connect("fal-ai/fast-lcm-diffusion", prompts.map(p -> Map.of("prompt", p)))}</pre>
     */
    AsyncFalRealtime realtime();

    /** A blocking view of this client, sharing its connection pool and listeners. */
    FalClient blocking();

    /** Counters and last outcomes of this client's HTTP calls (for health checks and metrics). */
    FalClientStats stats();

    /**
     * The queue requests this client watches right now: tracked in the background, or awaited by a caller
     * ({@code subscribe}, {@code handle.get()}), oldest first. A read-only snapshot, for dashboards and the
     * starter's actuator endpoint; it holds no inputs, outputs or key.
     *
     * <pre>{@code fal.inFlight().forEach(r -> log.info("{} of {}: {}", r.requestId(), r.endpointId(), r.status()));}</pre>
     */
    default List<InFlightRequest> inFlight() {
        return List.of();
    }

    /**
     * The JSON mapper this client maps outputs with (the {@code Class<T>} overloads), so that an output received
     * elsewhere, from a listener or a webhook, maps exactly as it would from {@code subscribe(..., type)}.
     *
     * <pre>{@code Image image = fal.jsonMapper().treeToValue(webhook.payload(), Image.class);}</pre>
     */
    JsonMapper jsonMapper();

    /** Stops background tracking and releases the connection pool. Idempotent. */
    @Override
    void close();

    /** Builder of {@link AsyncFalClient}; see {@link FalClientBuilder} for every setting. */
    final class Builder extends FalClientBuilder<Builder> {

        Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /** Creates the client. Never fails for a missing key: the first call does. */
        public AsyncFalClient build() {
            return new DefaultAsyncFalClient(config());
        }
    }
}
