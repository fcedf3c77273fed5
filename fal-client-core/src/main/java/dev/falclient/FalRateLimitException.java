package dev.falclient;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * fal answered 429 (concurrency or rate limit) and the client's retries were exhausted or disabled.
 *
 * <pre>{@code catch (FalRateLimitException e) { e.retryAfter().ifPresent(scheduler::retryIn); }}</pre>
 */
public class FalRateLimitException extends FalHttpException {

    private final @Nullable Duration retryAfter;

    FalRateLimitException(String message, @Nullable String errorType, @Nullable String body,
                          @Nullable Map<String, List<String>> headers, @Nullable String requestId,
                          @Nullable Duration retryAfter) {
        super(message, 429, errorType, body, headers, requestId, false);
        this.retryAfter = retryAfter;
    }

    /** The server's {@code Retry-After}, when it sent one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
