package dev.falclient.spring.autoconfigure;

import dev.falclient.Priority;
import dev.falclient.StatusMode;
import dev.falclient.settings.HttpSettings;
import dev.falclient.settings.PoolSettings;
import dev.falclient.settings.RetrySettings;
import dev.falclient.settings.StorageSettings;
import dev.falclient.settings.TrackingSettings;
import dev.falclient.settings.UrlSettings;
import dev.falclient.settings.WaitSettings;
import dev.falclient.settings.WebhookSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the auto-configured fal client, bound from {@code fal.*}. Each default is the core client's own
 * ({@code dev.falclient.settings}), each value is checked by the core's rules, and a bad one fails the start naming
 * its property. Only a key is needed, and even that may come from the {@code FAL_KEY} environment variable.
 *
 * <pre>{@code
 * fal.key=${FAL_KEY:}
 * fal.response-timeout=3m
 * fal.retry.max-attempts=3
 * }</pre>
 *
 * <p>{@link #toString()} never shows the key or the key secret.
 *
 * @param enabled           Whether to auto-configure the fal client beans.
 * @param key               fal API key, either a plain key or "key_id:key_secret". The FAL_KEY environment
 *                          variable binds here too.
 * @param keyId             fal key id, used together with key-secret when no key is set.
 * @param keySecret         fal key secret, used together with key-id when no key is set.
 * @param queueUrl          Base URL of fal's queue API; may carry a path prefix (e.g. behind a gateway).
 * @param runUrl            Base URL of fal's direct (synchronous) run API.
 * @param restUrl           Base URL of fal's REST API (tokens, storage).
 * @param cdnUrl            Base URL of fal's CDN.
 * @param connectTimeout    TCP connect timeout of every HTTP call.
 * @param responseTimeout   Longest silence allowed while waiting for, or reading, the response of a single HTTP
 *                          call.
 * @param callTimeout       Total deadline of one queue call (submit, status, result, cancel) across all its attempts
 *                          and retry delays.
 * @param runTimeout        Total deadline of a direct run, which holds the connection until the model finishes; also
 *                          the longest silence of each of its attempts. A run's own timeout option replaces it.
 * @param maxInMemorySize   Largest response body held in memory; a larger response fails the call.
 * @param statusMode        How the client waits for completion: STREAMING (server-sent events, falling back to
 *                          polling) or POLLING.
 * @param pollInterval      Interval between status polls.
 * @param streamIdleTimeout How long a status stream may stay silent before the client falls back to polling, and a
 *                          streaming run's events (once fal answered) before the stream fails; fal's keep-alive
 *                          comments (every 15 s) count as activity.
 * @param waitTimeout       Bound of every wait for completion that has no explicit client timeout (get, result,
 *                          subscribe, background tracking).
 * @param defaultPriority   Queue priority of submits that set none (NORMAL or LOW); none is sent when unset.
 * @param defaultHeaders    Headers sent with every submit, run and subscribe unless the call sets them, e.g.
 *                          fal.default-headers[X-Fal-Runner-Hint]=gpu-a.
 * @param sslBundle         Name of the SSL bundle (spring.ssl.bundle.*) for connections to fal (calls, realtime
 *                          sockets, the proxy); when unset, spring.http.clients.ssl.bundle applies.
 * @param retry             Retry settings of HTTP calls.
 * @param pool              Connection pool settings.
 * @param storage           Uploads to fal's storage.
 * @param events            Request lifecycle events and background tracking.
 * @param metrics           Micrometer metrics of fal requests.
 * @param webhook           fal's webhooks: the URL submits name, and the verified receiver.
 */
@ConfigurationProperties(FalProperties.PREFIX)
public record FalProperties(
        @DefaultValue("true") boolean enabled,
        @Nullable String key,
        @Nullable String keyId,
        @Nullable String keySecret,
        @DefaultValue(UrlSettings.DEFAULT_QUEUE_URL) String queueUrl,
        @DefaultValue(UrlSettings.DEFAULT_RUN_URL) String runUrl,
        @DefaultValue(UrlSettings.DEFAULT_REST_URL) String restUrl,
        @DefaultValue(UrlSettings.DEFAULT_CDN_URL) String cdnUrl,
        @DefaultValue(HttpSettings.DEFAULT_CONNECT_TIMEOUT) Duration connectTimeout,
        @DefaultValue(HttpSettings.DEFAULT_RESPONSE_TIMEOUT) Duration responseTimeout,
        @DefaultValue(HttpSettings.DEFAULT_CALL_TIMEOUT) Duration callTimeout,
        @DefaultValue(HttpSettings.DEFAULT_RUN_TIMEOUT) Duration runTimeout,
        @DefaultValue(HttpSettings.DEFAULT_MAX_IN_MEMORY_SIZE) DataSize maxInMemorySize,
        @DefaultValue(WaitSettings.DEFAULT_STATUS_MODE) StatusMode statusMode,
        @DefaultValue(WaitSettings.DEFAULT_POLL_INTERVAL) Duration pollInterval,
        @DefaultValue(WaitSettings.DEFAULT_STREAM_IDLE_TIMEOUT) Duration streamIdleTimeout,
        @DefaultValue(WaitSettings.DEFAULT_WAIT_TIMEOUT) Duration waitTimeout,
        @Nullable Priority defaultPriority,
        Map<String, String> defaultHeaders,
        @Nullable String sslBundle,
        @DefaultValue Retry retry,
        @DefaultValue Pool pool,
        @DefaultValue Storage storage,
        @DefaultValue Events events,
        @DefaultValue Metrics metrics,
        @DefaultValue Webhook webhook) {

    /** The property prefix, {@value}. */
    public static final String PREFIX = "fal";

    /** A {@code ${...}} placeholder (the closing brace may be missing in a truncated value). */

    /** Checks every value with the core's rules, so that a bad one fails the start naming its property. */
    public FalProperties {
        defaultHeaders = defaultHeaders == null ? Map.of() : Map.copyOf(defaultHeaders);
        urls(queueUrl, runUrl, restUrl, cdnUrl);
        http(connectTimeout, responseTimeout, callTimeout, runTimeout, maxInMemorySize);
        waiting(statusMode, pollInterval, streamIdleTimeout, waitTimeout);
    }

    /** The base URLs, as the core client takes them. */
    public UrlSettings urls() {
        return urls(queueUrl, runUrl, restUrl, cdnUrl);
    }

    /** The per-call bounds, as the core client takes them. */
    public HttpSettings http() {
        return http(connectTimeout, responseTimeout, callTimeout, runTimeout, maxInMemorySize);
    }

    /** How waits for completion behave, as the core client takes it. */
    public WaitSettings waiting() {
        return waiting(statusMode, pollInterval, streamIdleTimeout, waitTimeout);
    }

    private static UrlSettings urls(String queueUrl, String runUrl, String restUrl, String cdnUrl) {
        return FalPropertyChecks.checked(PREFIX, () -> new UrlSettings(queueUrl, runUrl, restUrl, cdnUrl));
    }

    private static HttpSettings http(Duration connectTimeout, Duration responseTimeout, Duration callTimeout,
                                     Duration runTimeout, DataSize maxInMemorySize) {
        long bytes = maxInMemorySize.toBytes();
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("fal.max-in-memory-size must be at most 2GB, was " + maxInMemorySize);
        }
        return FalPropertyChecks.checked(PREFIX, () -> new HttpSettings(connectTimeout, responseTimeout, callTimeout, runTimeout,
                (int) bytes));
    }

    private static WaitSettings waiting(StatusMode statusMode, Duration pollInterval, Duration streamIdleTimeout,
                                        Duration waitTimeout) {
        return FalPropertyChecks.checked(PREFIX, () -> new WaitSettings(statusMode, pollInterval, streamIdleTimeout, waitTimeout));
    }

    /** The key joined from key-id and key-secret, or {@code null} when either is missing. */
    @Nullable String joinedKey() {
        return FalPropertyChecks.hasText(keyId) && FalPropertyChecks.hasText(keySecret) ? keyId.trim() + ":" + keySecret.trim() : null;
    }

    /**
     * Why the configured key counts as not set although a value is bound: {@code key}, {@code key-id} or
     * {@code key-secret} still contains a {@code ${...}} placeholder that nothing resolved (e.g.
     * {@code fal.key=${FAL_KEY}} with {@code FAL_KEY} unset binds the text {@code ${FAL_KEY}}). Names the property
     * and the placeholder, never the rest of the value, and says how to fix it. Empty when no key value holds an
     * unresolved placeholder.
     */
    public Optional<String> unresolvedKeyReason() {
        List<String> problems = new ArrayList<>();
        FalPropertyChecks.unresolvedKey("key", "FAL_KEY", key, problems);
        FalPropertyChecks.unresolvedKey("key-id", "FAL_KEY_ID", keyId, problems);
        FalPropertyChecks.unresolvedKey("key-secret", "FAL_KEY_SECRET", keySecret, problems);
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }

    /** The configured key, masked. */
    @Override
    public String toString() {
        return "FalProperties[enabled=" + enabled + ", key=" + FalPropertyChecks.mask(key) + ", keyId=" + keyId
                + ", keySecret=" + FalPropertyChecks.mask(keySecret) + ", " + urls() + ", " + http() + ", " + waiting()
                + ", defaultPriority=" + defaultPriority + ", defaultHeaders=" + defaultHeaders.keySet()
                + ", sslBundle=" + sslBundle
                + ", retry=" + retry + ", pool=" + pool + ", storage=" + storage + ", events=" + events
                + ", metrics=" + metrics + ", webhook=" + webhook + "]";
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
            @DefaultValue(RetrySettings.DEFAULT_MAX_ATTEMPTS) int maxAttempts,
            @DefaultValue(RetrySettings.DEFAULT_INITIAL_BACKOFF) Duration initialBackoff,
            @DefaultValue(RetrySettings.DEFAULT_MAX_BACKOFF) Duration maxBackoff,
            @DefaultValue(RetrySettings.DEFAULT_JITTER) double jitter,
            @DefaultValue(RetrySettings.DEFAULT_MAX_RETRY_AFTER) Duration maxRetryAfter,
            @DefaultValue(RetrySettings.DEFAULT_RETRY_AMBIGUOUS_SUBMITS) boolean retryAmbiguousSubmits) {

        /** Checks every value with the core's rules. */
        public Retry {
            settings(maxAttempts, initialBackoff, maxBackoff, jitter, maxRetryAfter, retryAmbiguousSubmits);
        }

        /** These settings as the core client takes them. */
        public RetrySettings settings() {
            return settings(maxAttempts, initialBackoff, maxBackoff, jitter, maxRetryAfter, retryAmbiguousSubmits);
        }

        private static RetrySettings settings(int maxAttempts, Duration initialBackoff, Duration maxBackoff,
                                              double jitter, Duration maxRetryAfter, boolean retryAmbiguousSubmits) {
            return FalPropertyChecks.checked(PREFIX + ".retry", () -> new RetrySettings(maxAttempts, initialBackoff, maxBackoff,
                    jitter, maxRetryAfter, retryAmbiguousSubmits));
        }
    }

    /**
     * Settings of the client's own Reactor Netty connection pools.
     *
     * @param maxConnections         Size of the connection pool of calls (submit, status, result, cancel, run).
     * @param pendingAcquireMaxCount How many calls may wait for a pooled connection before new ones are rejected.
     * @param pendingAcquireTimeout  How long a call may wait for a pooled connection.
     * @param maxStatusStreams       Most status streams open at once: the size of their own connection pool (each
     *                               stream holds its connection for the whole wait); beyond it waits poll instead.
     * @param metrics                Whether Reactor Netty records the metrics of the client's connection pools
     *                               (reactor.netty.connection.provider.*, tag name=fal-client or
     *                               fal-client-streams) in Micrometer's global registry, which Spring Boot's
     *                               registries join; ignored without micrometer-core on the class path.
     */
    public record Pool(
            @DefaultValue(PoolSettings.DEFAULT_MAX_CONNECTIONS) int maxConnections,
            @DefaultValue(PoolSettings.DEFAULT_PENDING_ACQUIRE_MAX_COUNT) int pendingAcquireMaxCount,
            @DefaultValue(PoolSettings.DEFAULT_PENDING_ACQUIRE_TIMEOUT) Duration pendingAcquireTimeout,
            @DefaultValue(PoolSettings.DEFAULT_MAX_STATUS_STREAMS) int maxStatusStreams,
            @DefaultValue(PoolSettings.DEFAULT_METRICS) boolean metrics) {

        /** Checks every value with the core's rules. */
        public Pool {
            settings(maxConnections, pendingAcquireMaxCount, pendingAcquireTimeout, maxStatusStreams, metrics);
        }

        /** These settings as the core client takes them. */
        public PoolSettings settings() {
            return settings(maxConnections, pendingAcquireMaxCount, pendingAcquireTimeout, maxStatusStreams, metrics);
        }

        private static PoolSettings settings(int maxConnections, int pendingAcquireMaxCount,
                                             Duration pendingAcquireTimeout, int maxStatusStreams, boolean metrics) {
            return FalPropertyChecks.checked(PREFIX + ".pool", () -> new PoolSettings(maxConnections, pendingAcquireMaxCount,
                    pendingAcquireTimeout, maxStatusStreams, metrics));
        }
    }

    /**
     * Uploads to fal's storage (FalClient.storage() and the automatic upload of file arguments).
     *
     * @param autoUpload         Whether Path, File and Resource values in the arguments of submit, run and subscribe
     *                           are uploaded to fal's storage and replaced by their URLs; when off they are refused.
     * @param multipartThreshold Size above which a file is uploaded in parts.
     * @param partSize           Size of each part of a multipart upload.
     * @param parallelism        Most parts of one file, and most files of one call's arguments, uploaded at once.
     * @param defaultExpiresIn   Lifetime of uploaded files unless an upload sets one: never (the account's storage
     *                           settings apply), immediate, 1h, 1d, 7d, 30d, 1y, or a number of seconds.
     * @param partTimeout        Deadline of one part (or of a file uploaded in one piece) across its attempts.
     * @param uploadTimeout      Deadline of one whole upload, fallback included.
     */
    public record Storage(
            @DefaultValue(StorageSettings.DEFAULT_AUTO_UPLOAD) boolean autoUpload,
            @DefaultValue(StorageSettings.DEFAULT_MULTIPART_THRESHOLD) DataSize multipartThreshold,
            @DefaultValue(StorageSettings.DEFAULT_PART_SIZE) DataSize partSize,
            @DefaultValue(StorageSettings.DEFAULT_PARALLELISM) int parallelism,
            @DefaultValue(StorageSettings.DEFAULT_EXPIRES_IN) String defaultExpiresIn,
            @DefaultValue(StorageSettings.DEFAULT_PART_TIMEOUT) Duration partTimeout,
            @DefaultValue(StorageSettings.DEFAULT_UPLOAD_TIMEOUT) Duration uploadTimeout) {

        /** Checks every value with the core's rules. */
        public Storage {
            settings(autoUpload, multipartThreshold, partSize, parallelism, defaultExpiresIn, partTimeout,
                    uploadTimeout);
        }

        /** These settings as the core client takes them. */
        public StorageSettings settings() {
            return settings(autoUpload, multipartThreshold, partSize, parallelism, defaultExpiresIn, partTimeout,
                    uploadTimeout);
        }

        private static StorageSettings settings(boolean autoUpload, DataSize multipartThreshold, DataSize partSize,
                                                int parallelism, String defaultExpiresIn, Duration partTimeout,
                                                Duration uploadTimeout) {
            if (partSize.toBytes() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(PREFIX + ".storage.part-size must be at most 2GB, was " + partSize);
            }
            return FalPropertyChecks.checked(PREFIX + ".storage", () -> new StorageSettings(autoUpload, multipartThreshold.toBytes(),
                    (int) partSize.toBytes(), parallelism, defaultExpiresIn, partTimeout, uploadTimeout));
        }
    }

    /**
     * Request lifecycle events (published as Spring application events) and background tracking.
     *
     * @param enabled             Whether to publish fal request lifecycle events as Spring application events.
     * @param trackSubmitted      Whether every submit is watched in the background until it completes (its result
     *                            is fetched and published as an event); a submit can override it with
     *                            SubmitOptions.track.
     * @param trackWithLogs       Whether background tracking asks fal for log lines (published as log events).
     * @param maxTrackedRequests  Most requests tracked in the background at once; a tracked submit beyond it fails
     *                            before submitting.
     * @param maxObservedRequests How many recent requests the client remembers to report each transition once.
     * @param threads             Threads that deliver events (and every other fal request listener call).
     * @param queueCapacity       Event deliveries that may wait for a delivery thread; beyond it a delivery is
     *                            dropped (counted by the fal.events.dropped meter, logged at WARN at most once a
     *                            minute), never run on the calling thread.
     */
    public record Events(
            @DefaultValue("true") boolean enabled,
            @DefaultValue(TrackingSettings.DEFAULT_TRACK_SUBMITTED) boolean trackSubmitted,
            @DefaultValue(TrackingSettings.DEFAULT_TRACK_WITH_LOGS) boolean trackWithLogs,
            @DefaultValue(TrackingSettings.DEFAULT_MAX_TRACKED_REQUESTS) int maxTrackedRequests,
            @DefaultValue(TrackingSettings.DEFAULT_MAX_OBSERVED_REQUESTS) int maxObservedRequests,
            @DefaultValue("4") int threads,
            @DefaultValue("100000") int queueCapacity) {

        /** Checks every value (the tracking ones with the core's rules). */
        public Events {
            tracking(trackSubmitted, trackWithLogs, maxTrackedRequests, maxObservedRequests);
            if (threads <= 0) {
                throw new IllegalArgumentException("fal.events.threads must be positive, was " + threads);
            }
            if (queueCapacity <= 0) {
                throw new IllegalArgumentException("fal.events.queue-capacity must be positive, was "
                        + queueCapacity);
            }
        }

        /** The tracking settings as the core client takes them. */
        public TrackingSettings tracking() {
            return tracking(trackSubmitted, trackWithLogs, maxTrackedRequests, maxObservedRequests);
        }

        private static TrackingSettings tracking(boolean trackSubmitted, boolean trackWithLogs,
                                                 int maxTrackedRequests, int maxObservedRequests) {
            return FalPropertyChecks.checked(PREFIX + ".events", () -> new TrackingSettings(trackSubmitted, trackWithLogs,
                    maxTrackedRequests, maxObservedRequests));
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

    /**
     * fal's webhooks: the URL fal POSTs a request's outcome to, and the starter's receiver that verifies the
     * deliveries (Ed25519 over fal's JWKS) and publishes them as the same application events a watched request
     * gives.
     *
     * @param enabled             Whether to serve the webhook receiver at fal.webhook.path (WebFlux or Spring MVC).
     * @param path                Path of the webhook receiver.
     * @param url                 Public URL fal should POST outcomes to (this application's receiver, as reached
     *                            from the internet); when set, every submit names it unless the call sets its own
     *                            webhook URL.
     * @param jwksUrl             URL of fal's JSON Web Key Set with the keys that sign deliveries.
     * @param tolerance           Largest difference between a delivery's timestamp and now; older or newer
     *                            deliveries are refused (401).
     * @param jwksRefetchInterval Least time between two JWKS fetches caused by signatures no cached key verifies.
     * @param maxBodySize         Largest delivery body read; a larger one is refused (413).
     */
    public record Webhook(
            @DefaultValue("false") boolean enabled,
            @DefaultValue("/fal/webhook") String path,
            @Nullable String url,
            @DefaultValue(WebhookSettings.DEFAULT_JWKS_URL) String jwksUrl,
            @DefaultValue(WebhookSettings.DEFAULT_TOLERANCE) Duration tolerance,
            @DefaultValue(WebhookSettings.DEFAULT_JWKS_REFETCH_INTERVAL) Duration jwksRefetchInterval,
            @DefaultValue(WebhookSettings.DEFAULT_MAX_BODY_SIZE) DataSize maxBodySize) {

        /** Checks every value (the verifier's with the core's rules). */
        public Webhook {
            if (path == null || !path.startsWith("/")) {
                throw new IllegalArgumentException("fal.webhook.path must start with '/', was '" + path + "'");
            }
            url = FalPropertyChecks.hasText(url) ? url.trim() : null;
            if (url != null && !FalPropertyChecks.absoluteHttpUrl(url)) {
                throw new IllegalArgumentException("fal.webhook.url must be an absolute http(s) URL that fal can "
                        + "reach, was '" + url + "'");
            }
            settings(jwksUrl, tolerance, jwksRefetchInterval, maxBodySize);
        }

        /** Without the query of the webhook URL, which may carry a token. */
        @Override
        public String toString() {
            return "Webhook[enabled=" + enabled + ", path=" + path + ", url="
                    + (url == null ? null : url.replaceFirst("\\?.*", "?…")) + ", " + settings() + "]";
        }

        /** The verifier's settings as the core takes them. */
        public WebhookSettings settings() {
            return settings(jwksUrl, tolerance, jwksRefetchInterval, maxBodySize);
        }

        private static WebhookSettings settings(String jwksUrl, Duration tolerance, Duration jwksRefetchInterval,
                                                DataSize maxBodySize) {
            long bytes = maxBodySize.toBytes();
            if (bytes > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("fal.webhook.max-body-size must be at most 2GB, was "
                        + maxBodySize);
            }
            return FalPropertyChecks.checked(PREFIX + ".webhook", () -> WebhookSettings.DEFAULTS.withJwksUrl(jwksUrl)
                    .withTolerance(tolerance).withJwksRefetchInterval(jwksRefetchInterval)
                    .withMaxBodySize((int) bytes));
        }
    }
}
