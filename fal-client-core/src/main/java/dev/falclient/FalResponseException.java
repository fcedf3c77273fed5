package dev.falclient;

import org.jspecify.annotations.Nullable;

/**
 * fal answered, but the answer cannot be understood: malformed or oversized JSON, a status that is not one of
 * fal's, a submit reply without a request id, or an output that does not map onto the requested type. A submit that
 * got such an answer reached fal: {@link #possiblySubmitted()} is {@code true}.
 *
 * <pre>{@code catch (FalResponseException e) { log.error("unexpected answer for {}", e.requestId(), e); }}</pre>
 */
public class FalResponseException extends FalException {

    FalResponseException(String message, @Nullable String requestId, @Nullable Throwable cause,
                         boolean possiblySubmitted) {
        super(message, requestId, cause, possiblySubmitted);
    }
}
