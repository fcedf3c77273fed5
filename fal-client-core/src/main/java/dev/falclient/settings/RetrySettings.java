package dev.falclient.settings;

import java.time.Duration;

/**
 * How HTTP calls are retried: 429, gateway 5xx and network failures, with exponential backoff and the server's
 * {@code Retry-After}. A submit or run POST is retried only when fal provably never saw it, unless
 * {@link #retryAmbiguousSubmits()} is on.
 *
 * <pre>{@code FalClient.builder().retry(RetrySettings.DEFAULTS.withMaxAttempts(3)).build();}</pre>
 *
 * @param maxAttempts           attempts per HTTP call, the first included; 1 disables retries (0 is read as 1)
 * @param initialBackoff        first retry delay; later ones double up to {@code maxBackoff}
 * @param maxBackoff            largest retry delay
 * @param jitter                random jitter factor of retry delays, from 0 (none) to 1
 * @param maxRetryAfter         longest {@code Retry-After} the client honours; longer values are capped
 * @param retryAmbiguousSubmits whether a submit or run is also retried when it may already have reached fal (gateway
 *                              502/504, connection lost after sending); such a retry can run, and bill, it twice
 */
public record RetrySettings(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double jitter,
                            Duration maxRetryAfter, boolean retryAmbiguousSubmits) {

    public static final String DEFAULT_MAX_ATTEMPTS = "5";
    public static final String DEFAULT_INITIAL_BACKOFF = "200ms";
    public static final String DEFAULT_MAX_BACKOFF = "10s";
    public static final String DEFAULT_JITTER = "0.5";
    public static final String DEFAULT_MAX_RETRY_AFTER = "60s";
    public static final String DEFAULT_RETRY_AMBIGUOUS_SUBMITS = "false";

    /** fal's defaults. */
    public static final RetrySettings DEFAULTS = new RetrySettings(Integer.parseInt(DEFAULT_MAX_ATTEMPTS),
            DefaultText.duration(DEFAULT_INITIAL_BACKOFF), DefaultText.duration(DEFAULT_MAX_BACKOFF),
            Double.parseDouble(DEFAULT_JITTER), DefaultText.duration(DEFAULT_MAX_RETRY_AFTER),
            Boolean.parseBoolean(DEFAULT_RETRY_AMBIGUOUS_SUBMITS));

    /** Validates every value. */
    public RetrySettings {
        maxAttempts = Math.max(1, Check.notNegative("maxAttempts", maxAttempts));
        Check.positive("initialBackoff", initialBackoff);
        Check.positive("maxBackoff", maxBackoff);
        Check.fraction("jitter", jitter);
        Check.positive("maxRetryAfter", maxRetryAfter);
    }

    public RetrySettings withMaxAttempts(int maxAttempts) {
        return new RetrySettings(maxAttempts, initialBackoff, maxBackoff, jitter, maxRetryAfter, retryAmbiguousSubmits);
    }

    public RetrySettings withInitialBackoff(Duration initialBackoff) {
        return new RetrySettings(maxAttempts, initialBackoff, maxBackoff, jitter, maxRetryAfter, retryAmbiguousSubmits);
    }

    public RetrySettings withMaxBackoff(Duration maxBackoff) {
        return new RetrySettings(maxAttempts, initialBackoff, maxBackoff, jitter, maxRetryAfter, retryAmbiguousSubmits);
    }

    public RetrySettings withJitter(double jitter) {
        return new RetrySettings(maxAttempts, initialBackoff, maxBackoff, jitter, maxRetryAfter, retryAmbiguousSubmits);
    }

    public RetrySettings withMaxRetryAfter(Duration maxRetryAfter) {
        return new RetrySettings(maxAttempts, initialBackoff, maxBackoff, jitter, maxRetryAfter, retryAmbiguousSubmits);
    }

    public RetrySettings withRetryAmbiguousSubmits(boolean retryAmbiguousSubmits) {
        return new RetrySettings(maxAttempts, initialBackoff, maxBackoff, jitter, maxRetryAfter, retryAmbiguousSubmits);
    }
}
