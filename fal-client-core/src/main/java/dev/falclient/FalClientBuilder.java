package dev.falclient;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Settings shared by {@link FalClient.Builder} and {@link AsyncFalClient.Builder}. Every setting has a default
 * that works against fal; only a key is needed (or the {@code FAL_KEY} environment variable).
 *
 * <pre>{@code
 * FalClient fal = FalClient.builder()
 *         .key(System.getenv("FAL_KEY"))
 *         .responseTimeout(Duration.ofMinutes(3))
 *         .maxAttempts(3)
 *         .build();
 * }</pre>
 *
 * @param <B> the concrete builder
 */
public abstract class FalClientBuilder<B extends FalClientBuilder<B>> {

    String key;
    FalCredentials credentials;
    String queueUrl = "https://queue.fal.run";
    String runUrl = "https://fal.run";
    String restUrl = "https://rest.fal.ai";
    String cdnUrl = "https://v3.fal.media";
    WebClient.Builder webClientBuilder;
    UnaryOperator<HttpClient> httpClientCustomizer = UnaryOperator.identity();
    Function<HttpClient, ClientHttpConnector> connectorFactory = ReactorClientHttpConnector::new;
    JsonMapper jsonMapper;
    final List<FalRequestListener> listeners = new ArrayList<>();
    Executor listenerExecutor;
    StatusMode statusMode = StatusMode.STREAMING;
    Duration pollInterval = Duration.ofMillis(500);
    Duration streamIdleTimeout = Duration.ofSeconds(15);
    Duration connectTimeout = Duration.ofSeconds(30);
    Duration responseTimeout = Duration.ofSeconds(120);
    Duration waitTimeout = Duration.ofHours(1);
    int maxInMemorySize = 16 * 1024 * 1024;
    int maxAttempts = 5;
    Duration initialBackoff = Duration.ofMillis(200);
    Duration maxBackoff = Duration.ofSeconds(10);
    double jitter = 0.5;
    Duration maxRetryAfter = Duration.ofSeconds(60);
    boolean retryAmbiguousSubmits;
    int maxConnections = 500;
    int pendingAcquireMaxCount = 100_000;
    Duration pendingAcquireTimeout = Duration.ofSeconds(60);
    boolean trackSubmitted;
    boolean trackWithLogs = true;
    int maxTrackedRequests = 1_000;
    int maxObservedRequests = 10_000;
    Integer maxStatusStreams;
    Priority defaultPriority;
    final Map<String, String> defaultHeaders = new LinkedHashMap<>();

    FalClientBuilder() {
    }

    abstract B self();

    /** The fal API key ({@code key} or {@code key_id:key_secret}). Blank means: use the environment. */
    public B key(String key) {
        this.key = key;
        return self();
    }

    /**
     * A key read on every request (e.g. from a secret manager). Takes precedence over {@link #key(String)} and the
     * environment; when it returns blank, those are tried.
     */
    public B credentials(Supplier<String> credentials) {
        return credentials(FalCredentials.supplier(credentials));
    }

    /** A credential source read on every request, tried before {@link #key(String)} and the environment. */
    public B credentials(FalCredentials credentials) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        return self();
    }

    /** Base URL of fal's queue API; may carry a path prefix, which every URL keeps. */
    public B queueUrl(String queueUrl) {
        this.queueUrl = url("queueUrl", queueUrl);
        return self();
    }

    /** Base URL of fal's direct run API. */
    public B runUrl(String runUrl) {
        this.runUrl = url("runUrl", runUrl);
        return self();
    }

    /** Base URL of fal's REST API (tokens, storage). */
    public B restUrl(String restUrl) {
        this.restUrl = url("restUrl", restUrl);
        return self();
    }

    /** Base URL of fal's CDN. */
    public B cdnUrl(String cdnUrl) {
        this.cdnUrl = url("cdnUrl", cdnUrl);
        return self();
    }

    /**
     * The WebClient builder to start from (it is cloned, never modified). Its filters, codecs customisations and
     * observation settings apply; the connector is replaced by the client's own pooled Reactor Netty connector
     * (see {@link #httpClient(UnaryOperator)} and {@link #connector(Function)} to customise it).
     */
    public B webClientBuilder(WebClient.Builder webClientBuilder) {
        this.webClientBuilder = Objects.requireNonNull(webClientBuilder, "webClientBuilder");
        return self();
    }

    /** Customises the Reactor Netty {@link HttpClient} (proxy, SSL, wiretap) after the client configured it. */
    public B httpClient(UnaryOperator<HttpClient> customizer) {
        this.httpClientCustomizer = Objects.requireNonNull(customizer, "customizer");
        return self();
    }

    /**
     * Turns the client's pooled, configured Reactor Netty {@link HttpClient} into the WebClient connector (default:
     * {@code ReactorClientHttpConnector::new}). Integrations use it to add their own connector settings, such as
     * Spring Boot's SSL bundles and redirect policy, without giving up the client's pool and timeouts.
     */
    public B connector(Function<HttpClient, ClientHttpConnector> connectorFactory) {
        this.connectorFactory = Objects.requireNonNull(connectorFactory, "connectorFactory");
        return self();
    }

    /** The JSON mapper for fal payloads (default: a plain mapper that ignores unknown properties). */
    public B jsonMapper(JsonMapper jsonMapper) {
        this.jsonMapper = Objects.requireNonNull(jsonMapper, "jsonMapper");
        return self();
    }

    /** Adds a listener told about request lifecycles (see {@link FalRequestListener} for the contract). */
    public B listener(FalRequestListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return self();
    }

    /** Where listeners are called (default: Reactor's bounded elastic scheduler). Calls per request stay ordered. */
    public B listenerExecutor(Executor executor) {
        this.listenerExecutor = Objects.requireNonNull(executor, "executor");
        return self();
    }

    /** Default way of waiting for completion in {@code subscribe}, {@code get} and {@code result}. */
    public B statusMode(StatusMode statusMode) {
        this.statusMode = Objects.requireNonNull(statusMode, "statusMode");
        return self();
    }

    /** Default interval between status polls. */
    public B pollInterval(Duration pollInterval) {
        this.pollInterval = positive("pollInterval", pollInterval);
        return self();
    }

    /** How long a status stream may stay silent before the client falls back to polling. */
    public B streamIdleTimeout(Duration streamIdleTimeout) {
        this.streamIdleTimeout = positive("streamIdleTimeout", streamIdleTimeout);
        return self();
    }

    /** TCP connect timeout of every call. */
    public B connectTimeout(Duration connectTimeout) {
        this.connectTimeout = positive("connectTimeout", connectTimeout);
        return self();
    }

    /** Longest silence allowed while waiting for (or reading) a response of a single HTTP call. */
    public B responseTimeout(Duration responseTimeout) {
        this.responseTimeout = positive("responseTimeout", responseTimeout);
        return self();
    }

    /**
     * Bound of every wait for completion that has no explicit client timeout ({@code get}, {@code result},
     * {@code subscribe} without {@code clientTimeout}, background tracking).
     */
    public B waitTimeout(Duration waitTimeout) {
        this.waitTimeout = positive("waitTimeout", waitTimeout);
        return self();
    }

    /** Largest response body held in memory, in bytes; a larger response fails with a {@link FalException}. */
    public B maxInMemorySize(int bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("maxInMemorySize must be positive, was " + bytes);
        }
        this.maxInMemorySize = bytes;
        return self();
    }

    /** Attempts per call, the first included; {@code 1} (or {@code 0}) disables every retry. */
    public B maxAttempts(int maxAttempts) {
        if (maxAttempts < 0) {
            throw new IllegalArgumentException("maxAttempts must not be negative, was " + maxAttempts);
        }
        this.maxAttempts = Math.max(1, maxAttempts);
        return self();
    }

    /** First retry delay; later ones double up to {@link #maxBackoff(Duration)}. */
    public B initialBackoff(Duration initialBackoff) {
        this.initialBackoff = positive("initialBackoff", initialBackoff);
        return self();
    }

    /** Largest retry delay. */
    public B maxBackoff(Duration maxBackoff) {
        this.maxBackoff = positive("maxBackoff", maxBackoff);
        return self();
    }

    /** Random jitter factor of retry delays, from 0 (none) to 1. */
    public B jitter(double jitter) {
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("jitter must be between 0 and 1, was " + jitter);
        }
        this.jitter = jitter;
        return self();
    }

    /** Longest {@code Retry-After} the client honours; longer values are capped. */
    public B maxRetryAfter(Duration maxRetryAfter) {
        this.maxRetryAfter = positive("maxRetryAfter", maxRetryAfter);
        return self();
    }

    /**
     * Whether a submit or run POST is also retried when it may already have reached fal (a gateway 502/504, or a
     * connection lost after sending). Off by default: such a retry can run, and bill, the request twice.
     */
    public B retryAmbiguousSubmits(boolean retry) {
        this.retryAmbiguousSubmits = retry;
        return self();
    }

    /** Size of the client's connection pool. */
    public B maxConnections(int maxConnections) {
        if (maxConnections <= 0) {
            throw new IllegalArgumentException("maxConnections must be positive, was " + maxConnections);
        }
        this.maxConnections = maxConnections;
        return self();
    }

    /** How many calls may wait for a pooled connection before new ones are rejected. */
    public B pendingAcquireMaxCount(int count) {
        if (count <= 0) {
            throw new IllegalArgumentException("pendingAcquireMaxCount must be positive, was " + count);
        }
        this.pendingAcquireMaxCount = count;
        return self();
    }

    /**
     * Most status streams open at once (default: half of {@link #maxConnections(int)}). A stream holds a pooled
     * connection for the whole wait, so beyond this limit further waits poll instead of starving other calls.
     */
    public B maxStatusStreams(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("maxStatusStreams must not be negative, was " + max);
        }
        this.maxStatusStreams = max;
        return self();
    }

    /** How long a call may wait for a pooled connection. */
    public B pendingAcquireTimeout(Duration timeout) {
        this.pendingAcquireTimeout = positive("pendingAcquireTimeout", timeout);
        return self();
    }

    /** Default of {@link SubmitOptions.Builder#track(boolean)}. */
    public B trackSubmitted(boolean track) {
        this.trackSubmitted = track;
        return self();
    }

    /** Whether background tracking asks for log lines (reported through {@link FalRequestListener#onLogs}). */
    public B trackWithLogs(boolean withLogs) {
        this.trackWithLogs = withLogs;
        return self();
    }

    /** Most requests tracked in the background at once; a tracked submit beyond it fails before submitting. */
    public B maxTrackedRequests(int max) {
        if (max <= 0) {
            throw new IllegalArgumentException("maxTrackedRequests must be positive, was " + max);
        }
        this.maxTrackedRequests = max;
        return self();
    }

    /** How many recent requests the client remembers to report each transition once. */
    public B maxObservedRequests(int max) {
        if (max <= 0) {
            throw new IllegalArgumentException("maxObservedRequests must be positive, was " + max);
        }
        this.maxObservedRequests = max;
        return self();
    }

    /** Queue priority of submits that set none (default: none sent, which fal treats as normal). */
    public B defaultPriority(Priority priority) {
        this.defaultPriority = priority;
        return self();
    }

    /**
     * A header sent with every submit, run and subscribe unless the call sets it, e.g. {@code X-Fal-Store-IO: 0}.
     */
    public B defaultHeader(String name, String value) {
        RequestOptions.putHeader(defaultHeaders, name, value);
        return self();
    }

    FalClientSettings settings() {
        FalCredentials chain = FalCredentials.key(key).orElse(FalCredentials.environment());
        if (credentials != null) {
            chain = credentials.orElse(chain);
        }
        return new FalClientSettings(chain, queueUrl, runUrl, restUrl, cdnUrl,
                webClientBuilder == null ? WebClient.builder() : webClientBuilder.clone(), httpClientCustomizer,
                connectorFactory,
                jsonMapper == null ? FalClientSettings.defaultMapper() : jsonMapper, List.copyOf(listeners),
                listenerExecutor == null ? Schedulers.boundedElastic()::schedule : listenerExecutor,
                statusMode, pollInterval, streamIdleTimeout, connectTimeout, responseTimeout, waitTimeout,
                maxInMemorySize, maxAttempts, initialBackoff, maxBackoff, jitter, maxRetryAfter,
                retryAmbiguousSubmits, maxConnections, pendingAcquireMaxCount, pendingAcquireTimeout,
                trackSubmitted, trackWithLogs, maxTrackedRequests, maxObservedRequests, defaultPriority,
                Map.copyOf(defaultHeaders),
                maxStatusStreams != null ? maxStatusStreams : Math.max(1, maxConnections / 2));
    }

    private static String url(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        String trimmed = value.trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        URI uri;
        try {
            uri = URI.create(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " is not a valid URL: '" + value + "'", e);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException(name + " must be an absolute http(s) URL, was '" + value + "'");
        }
        return trimmed;
    }

    private static Duration positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }
}
