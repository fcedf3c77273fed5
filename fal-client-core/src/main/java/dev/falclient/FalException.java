package dev.falclient;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Base of every error the fal client throws. Carries fal's request id whenever one is known, so that a paid
 * result can still be fetched after a failure.
 *
 * <pre>{@code
 * try {
 *     fal.subscribe("fal-ai/flux/dev", input);
 * } catch (FalException e) {
 *     e.requestId().ifPresent(id -> log.warn("request {} failed; fetch it later", id));
 * }
 * }</pre>
 *
 * <p>The client creates its subclasses; their constructors are not API. This base class may be thrown or extended
 * by applications.
 */
public class FalException extends RuntimeException {

    private final @Nullable String requestId;
    private final boolean possiblySubmitted;

    public FalException(String message) {
        this(message, null, null, false);
    }

    public FalException(String message, @Nullable String requestId) {
        this(message, requestId, null, false);
    }

    public FalException(String message, @Nullable String requestId, @Nullable Throwable cause) {
        this(message, requestId, cause, false);
    }

    /**
     * @param possiblySubmitted whether a submit/run POST may have reached fal although it failed here
     */
    public FalException(String message, @Nullable String requestId, @Nullable Throwable cause,
                        boolean possiblySubmitted) {
        super(message, cause);
        this.requestId = requestId;
        this.possiblySubmitted = possiblySubmitted;
    }

    /** fal's request id, when the failure happened after fal assigned one. */
    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }

    /**
     * Whether a submit or run POST may have reached fal although this call failed (a read timeout after
     * sending, a connection dropped before the response, or a gateway 502/504). Retrying such a call may run
     * (and bill) the request twice.
     */
    public boolean possiblySubmitted() {
        return possiblySubmitted;
    }

}
