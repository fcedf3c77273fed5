package dev.falclient;

import org.jspecify.annotations.Nullable;

/**
 * The connection to fal failed: refused, reset, closed early, or a read timed out. {@link #possiblySubmitted()} says
 * whether a submit or run may have reached fal anyway (the connection was lost after sending it).
 *
 * <pre>{@code
 * catch (FalTransportException e) {
 *     if (!e.possiblySubmitted()) retryLater(input);   // fal never saw it: safe to send again
 * }
 * }</pre>
 */
public class FalTransportException extends FalException {

    FalTransportException(String message, @Nullable String requestId, @Nullable Throwable cause,
                          boolean possiblySubmitted) {
        super(message, requestId, cause, possiblySubmitted);
    }
}
