/**
 * The fal client: {@link dev.falclient.FalClient} (blocking) and {@link dev.falclient.AsyncFalClient} (Reactor),
 * their handles, options, statuses, listener and exceptions.
 *
 * <pre>{@code
 * FalClient fal = FalClient.builder().build();   // key from FAL_KEY
 * JsonNode out = fal.subscribe("fal-ai/fast-sdxl", Map.of("prompt", "a landscape"));
 * }</pre>
 *
 * <p>Only the public types are API. The engine behind them is package-private, grouped by concern:
 * <ul>
 *   <li>queue lifecycle: {@code DefaultAsyncFalClient} (submit, watch by polling or streaming, result, cancel,
 *   deadlines, tracking) and its blocking face {@code DefaultFalClient};</li>
 *   <li>HTTP and retries: {@code FalTransport} (pooled connector, auth, per-call timeouts, Reactor {@code Retry}),
 *   {@code RetryRules} (what may be retried, per method), {@code ErrorBodies} (fal's error bodies to exceptions);</li>
 *   <li>status: {@code StatusParser} (both log shapes, unknown states);</li>
 *   <li>listener dispatch: {@code RequestObserver} (transitions once per request, new log lines only, ordered
 *   per request off the event loop).</li>
 * </ul>
 * They share one package so that none of them has to become public API.
 */
package dev.falclient;
