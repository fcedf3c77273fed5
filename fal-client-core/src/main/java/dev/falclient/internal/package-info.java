/**
 * The client's engine. <strong>Not API:</strong> every type under {@code dev.falclient.internal} may change or
 * disappear in any release; no public signature of the API mentions one (an architecture test keeps it so).
 *
 * <ul>
 *   <li>{@code http}: the transport (one WebClient on one pool), calls built by named factories, the retry policy
 *   and the error mapper;</li>
 *   <li>{@code queue}: request URLs, submit/status/result/cancel, the status watcher (stream, poll, fallback) and
 *   background tracking;</li>
 *   <li>{@code json}: the client's mapper, argument serialisation and status parsing;</li>
 *   <li>{@code observe}: listener fan-out (once per transition, ordered per request, off the event loop);</li>
 *   <li>{@code storage}: uploads to fal's storage (CDN token cache, one-piece and multipart uploads, the signed-upload
 *   fallback) and the automatic upload of files found in call arguments.</li>
 * </ul>
 */
@NullMarked
package dev.falclient.internal;

import org.jspecify.annotations.NullMarked;
