package dev.falclient;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A client-side deadline passed: a subscribe's {@link SubscribeOptions.Builder#clientTimeout(Duration)}, the
 * client's wait timeout (of {@code get}, {@code result}, {@code watch}, {@code iterEvents} and a subscribe without a
 * client timeout), a run's timeout, or the total deadline of one HTTP call. Only an expired {@code clientTimeout}
 * also asks fal to cancel the request (best effort); every other deadline only stops waiting, and the paid request
 * carries on. The request id is carried whenever fal had assigned one; {@link #possiblySubmitted()} tells whether a
 * submit or run may have reached fal before its deadline passed.
 *
 * <pre>{@code catch (FalTimeoutException e) { log.warn("gave up after {} on {}", e.timeout(), e.requestId()); }}</pre>
 */
public class FalTimeoutException extends FalException {

    private final Duration timeout;

    FalTimeoutException(String message, Duration timeout, @Nullable String requestId, boolean possiblySubmitted) {
        super(message, requestId, null, possiblySubmitted);
        this.timeout = timeout;
    }

    /** The deadline that passed. */
    public Duration timeout() {
        return timeout;
    }
}
