package dev.falclient.settings;

import java.time.Duration;

/**
 * Bounds of one HTTP call.
 *
 * <pre>{@code FalClient.builder().http(HttpSettings.DEFAULTS.withResponseTimeout(Duration.ofMinutes(3))).build();}</pre>
 *
 * @param connectTimeout  TCP connect timeout of every call
 * @param responseTimeout longest silence allowed while waiting for, or reading, the response of a single call
 * @param maxInMemorySize largest response body held in memory, in bytes; a larger response fails the call
 */
public record HttpSettings(Duration connectTimeout, Duration responseTimeout, int maxInMemorySize) {

    public static final String DEFAULT_CONNECT_TIMEOUT = "30s";
    public static final String DEFAULT_RESPONSE_TIMEOUT = "120s";
    public static final String DEFAULT_MAX_IN_MEMORY_SIZE = "16MB";

    /** fal's defaults. */
    public static final HttpSettings DEFAULTS = new HttpSettings(DefaultText.duration(DEFAULT_CONNECT_TIMEOUT),
            DefaultText.duration(DEFAULT_RESPONSE_TIMEOUT), DefaultText.bytes(DEFAULT_MAX_IN_MEMORY_SIZE));

    /** Validates every value. */
    public HttpSettings {
        Check.positive("connectTimeout", connectTimeout);
        Check.positive("responseTimeout", responseTimeout);
        Check.positive("maxInMemorySize", maxInMemorySize);
    }

    public HttpSettings withConnectTimeout(Duration connectTimeout) {
        return new HttpSettings(connectTimeout, responseTimeout, maxInMemorySize);
    }

    public HttpSettings withResponseTimeout(Duration responseTimeout) {
        return new HttpSettings(connectTimeout, responseTimeout, maxInMemorySize);
    }

    public HttpSettings withMaxInMemorySize(int maxInMemorySize) {
        return new HttpSettings(connectTimeout, responseTimeout, maxInMemorySize);
    }
}
