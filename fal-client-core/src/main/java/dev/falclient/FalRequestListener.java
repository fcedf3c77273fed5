package dev.falclient;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Told about the lifecycle of the requests a client submits or watches. Register with
 * {@link FalClient.Builder#listener(FalRequestListener)}; the Spring starter turns these calls into application
 * events.
 *
 * <pre>{@code
 * FalClient fal = FalClient.builder().listener(new FalRequestListener() {
 *     public void onStatusChanged(FalRequest request, Status status) { log.info("{} -> {}", request.requestId(), status); }
 * }).build();
 * }</pre>
 *
 * <p>Contract:
 * <ul>
 *   <li>Transitions are derived from what this client observes (submit responses, status polls, status streams,
 *   result fetches). A request nobody watches produces only {@link #onSubmitted}.</li>
 *   <li>{@link #onStatusChanged} fires at the first {@link Queued} observation and at every change of queue
 *   position, at the first {@link InProgress}, and at the first {@link Completed}. Every other callback fires at
 *   most once per request, however many callers watch the same request on this client.</li>
 *   <li>{@link #onLogs} gets only lines not reported before for that request, de-duplicated by
 *   (timestamp, message). fal sends log lines when they are asked for ({@code withLogs}, {@code logs=1}).</li>
 *   <li>Callbacks for one request are delivered in order, one at a time, on the client's listener executor
 *   (by default Reactor's bounded elastic scheduler) — never on a Netty event-loop thread. Callbacks of
 *   different requests may run concurrently. A listener that throws is logged and does not affect the call.</li>
 *   <li>Under overload a callback may be dropped, never run elsewhere: when the listener executor rejects it
 *   ({@link java.util.concurrent.RejectedExecutionException}: its queue is full, or it is shut down), the client
 *   skips that callback rather than run it on the calling thread, which may be a Netty event loop. The other
 *   callbacks of the request are still delivered in order; the skipped one is not retried. Each drop is counted and
 *   logged at WARN at most once a minute with the running total (the Spring starter also counts drops in the
 *   {@code fal.events.dropped} meter). Size the executor for the load, or keep listeners fast and hand slow work
 *   off. An executor that runs rejected tasks on the caller itself (such as
 *   {@link java.util.concurrent.ThreadPoolExecutor.CallerRunsPolicy}) breaks the event-loop guarantee.</li>
 *   <li>The client remembers the state of a bounded number of recent requests (see
 *   {@link FalClient.Builder#maxObservedRequests(int)}); a request evicted from that memory may be reported
 *   again if it is watched again later.</li>
 * </ul>
 */
public interface FalRequestListener {

    /** fal accepted a queue submit. */
    default void onSubmitted(FalRequest request) {
    }

    /** The observed status changed kind, or the queue position changed. */
    default void onStatusChanged(FalRequest request, Status status) {
    }

    /** Log lines not reported before for this request. */
    default void onLogs(FalRequest request, List<RequestLog> newLogs) {
    }

    /** The client fetched the request's output (via get, result, subscribe or background tracking). */
    default void onResult(FalRequest request, JsonNode result) {
    }

    /**
     * A call about this request ended in an error: the result call failed (including a {@link Completed} with an
     * error), the client deadline passed, or tracking failed.
     */
    default void onFailed(FalRequest request, FalException error) {
    }

    /** fal accepted a cancel of this request ({@code CANCELLATION_REQUESTED}). */
    default void onCancelled(FalRequest request) {
    }
}
