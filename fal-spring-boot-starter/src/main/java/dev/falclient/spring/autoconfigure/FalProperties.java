package dev.falclient.spring.autoconfigure;

import dev.falclient.Priority;
import dev.falclient.StatusMode;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the auto-configured fal client, bound from {@code fal.*}. Every default equals the core client's
 * default; only a key is needed, and even that may come from the {@code FAL_KEY} environment variable.
 *
 * <pre>{@code
 * fal.key=${FAL_KEY}
 * fal.response-timeout=3m
 * fal.retry.max-attempts=3
 * }</pre>
 *
 * <p>Invalid values (non-positive durations, malformed URLs, negative counts) fail the application start with a
 * message naming the property. {@link #toString()} never shows the key or the key secret.
 *
 * @param enabled             Whether to auto-configure the fal client beans.
 * @param key                 fal API key, either a plain key or "key_id:key_secret". The FAL_KEY environment
 *                            variable binds here too.
 * @param keyId               fal key id, used together with key-secret when no key is set.
 * @param keySecret           fal key secret, used together with key-id when no key is set.
 * @param queueUrl            Base URL of fal's queue API; may carry a path prefix (e.g. behind a gateway).
 * @param runUrl              Base URL of fal's direct (synchronous) run API.
 * @param restUrl             Base URL of fal's REST API (tokens, storage).
 * @param cdnUrl              Base URL of fal's CDN.
 * @param connectTimeout      TCP connect timeout of every HTTP call.
 * @param responseTimeout     Longest silence allowed while waiting for, or reading, the response of a single HTTP
 *                            call.
 * @param waitTimeout         Bound of every wait for completion that has no explicit client timeout (get, result,
 *                            subscribe, background tracking).
 * @param pollInterval        Interval between status polls.
 * @param statusMode          How the client waits for completion: STREAMING (server-sent events, falling back to
 *                            polling) or POLLING.
 * @param streamIdleTimeout   How long a status stream may stay silent before the client falls back to polling.
 * @param maxInMemorySize     Largest response body held in memory; a larger response fails the call.
 * @param defaultPriority     Queue priority of submits that set none (NORMAL or LOW); none is sent when unset.
 * @param defaultHeaders      Headers sent with every submit, run and subscribe unless the call sets them, e.g.
 *                            fal.default-headers[X-Fal-Store-IO]=0.
 * @param sslBundle           Name of the SSL bundle (spring.ssl.bundle.*) for connections to fal; when unset,
 *                            spring.http.clients.ssl.bundle applies.
 * @param retry               Retry settings of HTTP calls.
 * @param pool                Connection pool settings.
 * @param events              Request lifecycle events and background tracking.
 * @param metrics             Micrometer metrics of fal requests.
 */
@ConfigurationProperties(FalProperties.PREFIX)
public record FalProperties(
        @DefaultValue("true") boolean enabled,
        String key,
        String keyId,
        String keySecret,
        @DefaultValue(DEFAULT_QUEUE_URL) String queueUrl,
        @DefaultValue(DEFAULT_RUN_URL) String runUrl,
        @DefaultValue(DEFAULT_REST_URL) String restUrl,
        @DefaultValue(DEFAULT_CDN_URL) String cdnUrl,
        @DefaultValue("30s") Duration connectTimeout,
        @DefaultValue("120s") Duration responseTimeout,
        @DefaultValue("1h") Duration waitTimeout,
        @DefaultValue("500ms") Duration pollInterval,
        @DefaultValue("STREAMING") StatusMode statusMode,
        @DefaultValue("15s") Duration streamIdleTimeout,
        @DefaultValue("16MB") DataSize maxInMemorySize,
        Priority defaultPriority,
        Map<String, String> defaultHeaders,
        String sslBundle,
        @DefaultValue Retry retry,
        @DefaultValue Pool pool,
        @DefaultValue Events events,
        @DefaultValue Metrics metrics) {

    /** The property prefix, {@value}. */
    public static final String PREFIX = "fal";

    static final String DEFAULT_QUEUE_URL = "https://queue.fal.run";
    static final String DEFAULT_RUN_URL = "https://fal.run";
    static final String DEFAULT_REST_URL = "https://rest.fal.ai";
    static final String DEFAULT_CDN_URL = "https://v3.fal.media";

    /** Validates every value, so that a bad one fails the start naming its property. */
    public FalProperties {
        queueUrl = url("fal.queue-url", queueUrl, DEFAULT_QUEUE_URL);
        runUrl = url("fal.run-url", runUrl, DEFAULT_RUN_URL);
        restUrl = url("fal.rest-url", restUrl, DEFAULT_REST_URL);
        cdnUrl = url("fal.cdn-url", cdnUrl, DEFAULT_CDN_URL);
        connectTimeout = positive("fal.connect-timeout", connectTimeout, Duration.ofSeconds(30));
        responseTimeout = positive("fal.response-timeout", responseTimeout, Duration.ofSeconds(120));
        waitTimeout = positive("fal.wait-timeout", waitTimeout, Duration.ofHours(1));
        pollInterval = positive("fal.poll-interval", pollInterval, Duration.ofMillis(500));
        statusMode = statusMode == null ? StatusMode.STREAMING : statusMode;
        streamIdleTimeout = positive("fal.stream-idle-timeout", streamIdleTimeout, Duration.ofSeconds(15));
        maxInMemorySize = maxInMemorySize == null ? DataSize.ofMegabytes(16) : maxInMemorySize;
        if (maxInMemorySize.toBytes() <= 0 || maxInMemorySize.toBytes() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("fal.max-in-memory-size must be between 1B and 2GB, was "
                    + maxInMemorySize);
        }
        defaultHeaders = defaultHeaders == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(defaultHeaders));
        for (Map.Entry<String, String> header : defaultHeaders.entrySet()) {
            if (header.getKey() == null || header.getKey().isBlank() || header.getValue() == null) {
                throw new IllegalArgumentException("fal.default-headers must have non-blank names and values");
            }
        }
        retry = retry == null ? new Retry(5, Duration.ofMillis(200), Duration.ofSeconds(10), 0.5,
                Duration.ofSeconds(60), false) : retry;
        pool = pool == null ? new Pool(500, 100_000, Duration.ofSeconds(60), null) : pool;
        events = events == null ? new Events(true, false, true, 1_000, 10_000, 4, 100_000) : events;
        metrics = metrics == null ? new Metrics(true) : metrics;
    }

    /** The key joined from key-id and key-secret, or {@code null} when either is missing. */
    String joinedKey() {
        return hasText(keyId) && hasText(keySecret) ? keyId.trim() + ":" + keySecret.trim() : null;
    }

    /** The configured key, masked. */
    @Override
    public String toString() {
        return "FalProperties[enabled=" + enabled + ", key=" + mask(key) + ", keyId=" + keyId
                + ", keySecret=" + mask(keySecret) + ", queueUrl=" + queueUrl + ", runUrl=" + runUrl
                + ", restUrl=" + restUrl + ", cdnUrl=" + cdnUrl + ", connectTimeout=" + connectTimeout
                + ", responseTimeout=" + responseTimeout + ", waitTimeout=" + waitTimeout
                + ", pollInterval=" + pollInterval + ", statusMode=" + statusMode
                + ", streamIdleTimeout=" + streamIdleTimeout + ", maxInMemorySize=" + maxInMemorySize
                + ", defaultPriority=" + defaultPriority + ", defaultHeaders=" + defaultHeaders.keySet()
                + ", sslBundle=" + sslBundle
                + ", retry=" + retry + ", pool=" + pool + ", events=" + events + ", metrics=" + metrics + "]";
    }

    /**
     * Retry settings of HTTP calls (429, 5xx and network failures; submits only when they cannot have reached
     * fal, unless retry-ambiguous-submits is set).
     *
     * @param maxAttempts           Attempts per HTTP call, the first included; 1 (or 0) disables retries.
     * @param initialBackoff        First retry delay; later ones double up to max-backoff.
     * @param maxBackoff            Largest retry delay.
     * @param jitter                Random jitter factor of retry delays, from 0 (none) to 1.
     * @param maxRetryAfter         Longest Retry-After the client honours; longer values are capped.
     * @param retryAmbiguousSubmits Whether a submit or run is also retried when it may already have reached fal
     *                              (gateway 502/504, connection lost after sending). Such a retry can run, and
     *                              bill, the request twice.
     */
    public record Retry(
            @DefaultValue("5") int maxAttempts,
            @DefaultValue("200ms") Duration initialBackoff,
            @DefaultValue("10s") Duration maxBackoff,
            @DefaultValue("0.5") double jitter,
            @DefaultValue("60s") Duration maxRetryAfter,
            @DefaultValue("false") boolean retryAmbiguousSubmits) {

        /** Validates every value. */
        public Retry {
            if (maxAttempts < 0) {
                throw new IllegalArgumentException("fal.retry.max-attempts must not be negative, was " + maxAttempts);
            }
            initialBackoff = positive("fal.retry.initial-backoff", initialBackoff, Duration.ofMillis(200));
            maxBackoff = positive("fal.retry.max-backoff", maxBackoff, Duration.ofSeconds(10));
            if (!(jitter >= 0 && jitter <= 1)) {
                throw new IllegalArgumentException("fal.retry.jitter must be between 0 and 1, was " + jitter);
            }
            maxRetryAfter = positive("fal.retry.max-retry-after", maxRetryAfter, Duration.ofSeconds(60));
        }
    }

    /**
     * Settings of the client's own Reactor Netty connection pool.
     *
     * @param maxConnections         Size of the connection pool.
     * @param pendingAcquireMaxCount How many calls may wait for a pooled connection before new ones are rejected.
     * @param pendingAcquireTimeout  How long a call may wait for a pooled connection.
     * @param maxStatusStreams       Most status streams open at once (each holds a pooled connection for the whole
     *                               wait); beyond it waits poll instead. Defaults to half of max-connections.
     */
    public record Pool(
            @DefaultValue("500") int maxConnections,
            @DefaultValue("100000") int pendingAcquireMaxCount,
            @DefaultValue("60s") Duration pendingAcquireTimeout,
            Integer maxStatusStreams) {

        /** Validates every value. */
        public Pool {
            if (maxConnections <= 0) {
                throw new IllegalArgumentException("fal.pool.max-connections must be positive, was " + maxConnections);
            }
            if (pendingAcquireMaxCount <= 0) {
                throw new IllegalArgumentException("fal.pool.pending-acquire-max-count must be positive, was "
                        + pendingAcquireMaxCount);
            }
            pendingAcquireTimeout = positive("fal.pool.pending-acquire-timeout", pendingAcquireTimeout,
                    Duration.ofSeconds(60));
            if (maxStatusStreams != null && maxStatusStreams < 0) {
                throw new IllegalArgumentException("fal.pool.max-status-streams must not be negative, was "
                        + maxStatusStreams);
            }
        }
    }

    /**
     * Request lifecycle events (published as Spring application events) and background tracking.
     *
     * @param enabled        Whether to publish fal request lifecycle events as Spring application events.
     * @param trackSubmitted Whether every submit is watched in the background until it completes (its result is
     *                       fetched and published as an event); a submit can override it with
     *                       SubmitOptions.track.
     * @param trackLogs      Whether background tracking asks fal for log lines (published as log events).
     * @param maxTracked     Most requests tracked in the background at once; a tracked submit beyond it fails
     *                       before submitting.
     * @param maxObserved    How many recent requests the client remembers to report each transition once.
     * @param threads        Threads that deliver events (and every other fal request listener call).
     * @param queueCapacity  Event deliveries that may wait per delivery thread; beyond it a delivery runs on the
     *                       calling thread.
     */
    public record Events(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("false") boolean trackSubmitted,
            @DefaultValue("true") boolean trackLogs,
            @DefaultValue("1000") int maxTracked,
            @DefaultValue("10000") int maxObserved,
            @DefaultValue("4") int threads,
            @DefaultValue("100000") int queueCapacity) {

        /** Validates every value. */
        public Events {
            if (maxTracked <= 0) {
                throw new IllegalArgumentException("fal.events.max-tracked must be positive, was " + maxTracked);
            }
            if (maxObserved <= 0) {
                throw new IllegalArgumentException("fal.events.max-observed must be positive, was " + maxObserved);
            }
            if (threads <= 0) {
                throw new IllegalArgumentException("fal.events.threads must be positive, was " + threads);
            }
            if (queueCapacity <= 0) {
                throw new IllegalArgumentException("fal.events.queue-capacity must be positive, was "
                        + queueCapacity);
            }
        }
    }

    /**
     * Micrometer metrics of fal requests (meters named fal.requests.* and fal.client.*), registered when
     * micrometer-core is on the class path and a MeterRegistry bean exists.
     *
     * @param enabled Whether to record fal request metrics.
     */
    public record Metrics(@DefaultValue("true") boolean enabled) {
    }

    private static String url(String property, String value, String fallback) {
        if (value == null) {
            return fallback;
        }
        String trimmed = value.trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(property + " is not a valid URL: '" + value + "'", e);
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                || uri.getHost() == null) {
            throw new IllegalArgumentException(property + " must be an absolute http(s) URL, was '" + value + "'");
        }
        return trimmed;
    }

    private static Duration positive(String property, Duration value, Duration fallback) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(property + " must be positive, was " + value);
        }
        return value;
    }

    private static boolean hasText(String s) {
        return s != null && !s.isBlank();
    }

    private static String mask(String secret) {
        return secret == null ? "null" : hasText(secret) ? "******" : "";
    }
}
