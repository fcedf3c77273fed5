package dev.falclient.settings;

import java.time.Duration;

/**
 * Bounds of HTTP calls. Every call is bounded twice: by the longest silence of one attempt, and by a total deadline
 * across all its attempts and retry delays.
 *
 * <pre>{@code FalClient.builder().http(HttpSettings.DEFAULTS.withRunTimeout(Duration.ofMinutes(30))).build();}</pre>
 *
 * @param connectTimeout  TCP connect timeout of every call
 * @param responseTimeout longest silence allowed while waiting for, or reading, the response of one attempt of a
 *                        queue call (submit, status, result, cancel)
 * @param callTimeout     total deadline of one queue call across all its attempts and retry delays
 * @param runTimeout      total deadline of a direct run (which holds the connection until the model finishes), also
 *                        the longest silence of each of its attempts; a run's own timeout option replaces it
 * @param maxInMemorySize largest response body held in memory, in bytes; a larger response fails the call
 */
public record HttpSettings(Duration connectTimeout, Duration responseTimeout, Duration callTimeout,
                           Duration runTimeout, int maxInMemorySize) {

    public static final String DEFAULT_CONNECT_TIMEOUT = "30s";
    public static final String DEFAULT_RESPONSE_TIMEOUT = "120s";
    public static final String DEFAULT_CALL_TIMEOUT = "3m";
    public static final String DEFAULT_RUN_TIMEOUT = "15m";
    public static final String DEFAULT_MAX_IN_MEMORY_SIZE = "16MB";

    /** fal's defaults. */
    public static final HttpSettings DEFAULTS = new HttpSettings(DefaultText.duration(DEFAULT_CONNECT_TIMEOUT),
            DefaultText.duration(DEFAULT_RESPONSE_TIMEOUT), DefaultText.duration(DEFAULT_CALL_TIMEOUT),
            DefaultText.duration(DEFAULT_RUN_TIMEOUT), DefaultText.bytes(DEFAULT_MAX_IN_MEMORY_SIZE));

    /** Validates every value. */
    public HttpSettings {
        Check.positive("connectTimeout", connectTimeout);
        Check.positive("responseTimeout", responseTimeout);
        Check.positive("callTimeout", callTimeout);
        Check.positive("runTimeout", runTimeout);
        Check.positive("maxInMemorySize", maxInMemorySize);
    }

    public HttpSettings withConnectTimeout(Duration connectTimeout) {
        return new HttpSettings(connectTimeout, responseTimeout, callTimeout, runTimeout, maxInMemorySize);
    }

    public HttpSettings withResponseTimeout(Duration responseTimeout) {
        return new HttpSettings(connectTimeout, responseTimeout, callTimeout, runTimeout, maxInMemorySize);
    }

    public HttpSettings withCallTimeout(Duration callTimeout) {
        return new HttpSettings(connectTimeout, responseTimeout, callTimeout, runTimeout, maxInMemorySize);
    }

    public HttpSettings withRunTimeout(Duration runTimeout) {
        return new HttpSettings(connectTimeout, responseTimeout, callTimeout, runTimeout, maxInMemorySize);
    }

    public HttpSettings withMaxInMemorySize(int maxInMemorySize) {
        return new HttpSettings(connectTimeout, responseTimeout, callTimeout, runTimeout, maxInMemorySize);
    }
}
