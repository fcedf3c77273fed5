package dev.falclient;

import dev.falclient.realtime.FalRealtime;
import dev.falclient.storage.FalStorage;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The blocking fal client. Safe to call from any ordinary or virtual thread, but not from a Reactor event-loop
 * thread (that fails fast instead of stalling I/O). Thread-safe; create one per application and share it.
 *
 * <pre>{@code
 * FalClient fal = FalClient.builder().build();                       // key from FAL_KEY
 * SyncRequestHandle handle = fal.submit("fal-ai/fast-sdxl", Map.of("prompt", "a landscape"));
 * JsonNode result = handle.get();
 * System.out.println(result.get("images").get(0).get("url").asString());
 * }</pre>
 *
 * <p>Every call is bounded by the client's timeouts; failures are {@link FalException}s carrying the request id
 * when fal assigned one.
 */
public interface FalClient extends AutoCloseable {

    /** A builder with fal's defaults. */
    static Builder builder() {
        return new Builder();
    }

    /** Submits to fal's queue; the handle carries the request id before any waiting starts. */
    default SyncRequestHandle submit(String endpointId, Object arguments) {
        return submit(endpointId, arguments, SubmitOptions.DEFAULTS);
    }

    /** Submits with options (webhook, priority, hint, start timeout, headers, tracking). */
    SyncRequestHandle submit(String endpointId, Object arguments, SubmitOptions options);

    /** Runs directly on {@code fal.run} and returns the output. */
    default JsonNode run(String endpointId, Object arguments) {
        return run(endpointId, arguments, RunOptions.DEFAULTS);
    }

    /** Runs directly with options. */
    JsonNode run(String endpointId, Object arguments, RunOptions options);

    /** Runs directly and maps the output onto {@code type}. */
    default <T> T run(String endpointId, Object arguments, Class<T> type) {
        return run(endpointId, arguments, RunOptions.DEFAULTS, type);
    }

    /** Runs directly with options and maps the output onto {@code type}. */
    <T> T run(String endpointId, Object arguments, RunOptions options, Class<T> type);

    /**
     * Streams a run from {@code fal.run/{endpointId}/stream} (no queue, no platform retries): one element per event,
     * in order, the last being the final output. The request is sent at once; close the stream (try-with-resources)
     * to stop early and release the connection. A non-2xx answer or an error event is thrown, while iterating, as
     * the exception {@code run} would throw (fal's {@code detail} included); every wait for an element is bounded
     * (see {@link StreamOptions}). Not on a Reactor event-loop thread.
     *
     * <pre>{@code
     * try (Stream<JsonNode> events = fal.stream("fal-ai/any-llm", Map.of("prompt", "a haiku"))) {
     *     events.forEach(event -> System.out.println(event.path("output").asString()));
     * }
     * }</pre>
     */
    default Stream<JsonNode> stream(String endpointId, Object arguments) {
        return stream(endpointId, arguments, StreamOptions.DEFAULTS);
    }

    /** Streams a run with options (path, headers, hint, timeouts). Close the stream when done. */
    Stream<JsonNode> stream(String endpointId, Object arguments, StreamOptions options);

    /** Streams a run, mapping each event onto {@code type}. Close the stream when done. */
    default <T> Stream<T> stream(String endpointId, Object arguments, Class<T> type) {
        return stream(endpointId, arguments, StreamOptions.DEFAULTS, type);
    }

    /** Streams a run with options, mapping each event onto {@code type}. Close the stream when done. */
    <T> Stream<T> stream(String endpointId, Object arguments, StreamOptions options, Class<T> type);

    /** Submits, waits for completion, and fetches the output. */
    default JsonNode subscribe(String endpointId, Object arguments) {
        return subscribe(endpointId, arguments, SubscribeOptions.DEFAULTS);
    }

    /** Submits, waits (with callbacks and a client deadline), and fetches the output. */
    JsonNode subscribe(String endpointId, Object arguments, SubscribeOptions options);

    /** {@link #subscribe(String, Object)} mapped onto {@code type}. */
    default <T> T subscribe(String endpointId, Object arguments, Class<T> type) {
        return subscribe(endpointId, arguments, SubscribeOptions.DEFAULTS, type);
    }

    /** {@link #subscribe(String, Object, SubscribeOptions)} mapped onto {@code type}. */
    <T> T subscribe(String endpointId, Object arguments, SubscribeOptions options, Class<T> type);

    /** A handle for a request submitted earlier, possibly by another process. Makes no call. */
    SyncRequestHandle handle(String endpointId, String requestId);

    /**
     * A handle resuming a stored {@link FalRequest} (from {@code handle.request()}, a listener or an event). Uses the
     * URLs fal returned when they lie below the configured queue URL, else derives them from the ids. Makes no call.
     */
    SyncRequestHandle handle(FalRequest request);

    /** One status call. */
    default Status status(String endpointId, String requestId, boolean withLogs) {
        return handle(endpointId, requestId).status(withLogs);
    }

    /** Waits for the request to complete, then fetches its output. */
    default JsonNode result(String endpointId, String requestId) {
        return handle(endpointId, requestId).get();
    }

    /** {@link #result(String, String)} mapped onto {@code type}. */
    default <T> T result(String endpointId, String requestId, Class<T> type) {
        return handle(endpointId, requestId).get(type);
    }

    /** Asks fal to cancel; returns normally if the request was cancelled or had already completed. */
    default void cancel(String endpointId, String requestId) {
        handle(endpointId, requestId).cancel();
    }

    /**
     * Uploads to fal's storage, returning public URLs for model inputs.
     *
     * <pre>{@code String url = fal.storage().upload(Path.of("cat.png"));}</pre>
     */
    FalStorage storage();

    /**
     * fal's realtime WebSocket API: a connection to send inputs to and receive outputs from, authenticated by
     * short-lived tokens the client fetches and refreshes.
     *
     * <pre>{@code try (FalRealtimeConnection c = fal.realtime().connect("fal-ai/fast-lcm-diffusion")) { c.send(input); }}</pre>
     */
    FalRealtime realtime();

    /** The reactive client behind this one (same pool, listeners and settings). */
    AsyncFalClient async();

    /** Counters and last outcomes of this client's HTTP calls. */
    default FalClientStats stats() {
        return async().stats();
    }

    /**
     * The queue requests this client watches right now (tracked, or awaited by a caller), oldest first.
     *
     * <pre>{@code int watching = fal.inFlight().size();}</pre>
     */
    default List<InFlightRequest> inFlight() {
        return async().inFlight();
    }

    /**
     * The JSON mapper this client maps outputs with (the {@code Class<T>} overloads); see
     * {@link AsyncFalClient#jsonMapper()}.
     *
     * <pre>{@code Image image = fal.jsonMapper().treeToValue(webhook.payload(), Image.class);}</pre>
     */
    default JsonMapper jsonMapper() {
        return async().jsonMapper();
    }

    /** Stops background tracking and releases the connection pool. Idempotent. */
    @Override
    default void close() {
        async().close();
    }

    /** Builder of {@link FalClient}; see {@link FalClientBuilder} for every setting. */
    final class Builder extends FalClientBuilder<Builder> {

        Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /** Creates the client. Never fails for a missing key: the first call does. */
        public FalClient build() {
            return new DefaultAsyncFalClient(config()).blocking();
        }
    }
}
