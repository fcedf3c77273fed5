package dev.falclient;

import java.time.Duration;

/**
 * The client-side deadline of a call passed ({@link SubscribeOptions.Builder#clientTimeout(Duration)}, or the
 * default wait bound of the client). After a subscribe deadline the client has already asked fal to cancel the
 * request (best effort); the wait bound of {@code get}/{@code result} and a run timeout only stop waiting. The
 * request id is carried whenever fal had assigned one.
 *
 * <pre>{@code catch (FalTimeoutException e) { log.warn("gave up after {} on {}", e.timeout(), e.requestId()); }}</pre>
 */
public class FalTimeoutException extends FalException {

    private final Duration timeout;

    FalTimeoutException(String message, Duration timeout, String requestId) {
        super(message, requestId);
        this.timeout = timeout;
    }

    /** The deadline that passed. */
    public Duration timeout() {
        return timeout;
    }
}
