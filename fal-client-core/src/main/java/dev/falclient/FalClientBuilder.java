package dev.falclient;

import dev.falclient.internal.ClientConfig;
import dev.falclient.internal.json.FalJson;
import dev.falclient.observation.FalRequestObservationConvention;
import dev.falclient.settings.HttpSettings;
import dev.falclient.settings.PoolSettings;
import dev.falclient.settings.RetrySettings;
import dev.falclient.settings.StorageSettings;
import dev.falclient.settings.TrackingSettings;
import dev.falclient.settings.UrlSettings;
import dev.falclient.settings.WaitSettings;
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
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Settings shared by {@link FalClient.Builder} and {@link AsyncFalClient.Builder}. Every setting has a default
 * that works against fal; only a key is needed (or the {@code FAL_KEY} environment variable). Settings come in
 * groups ({@link RetrySettings}, {@link PoolSettings}, {@link HttpSettings}, {@link WaitSettings},
 * {@link TrackingSettings}, {@link UrlSettings}) that hold each default and check each value; a setter of one value
 * (e.g. {@link #maxAttempts(int)}) changes that value of its group.
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

    private @Nullable String key;
    private @Nullable FalCredentials credentials;
    private UrlSettings urls = UrlSettings.DEFAULTS;
    private HttpSettings http = HttpSettings.DEFAULTS;
    private RetrySettings retry = RetrySettings.DEFAULTS;
    private PoolSettings pool = PoolSettings.DEFAULTS;
    private WaitSettings waiting = WaitSettings.DEFAULTS;
    private TrackingSettings tracking = TrackingSettings.DEFAULTS;
    private StorageSettings storage = StorageSettings.DEFAULTS;
    private WebClient.@Nullable Builder webClientBuilder;
    private UnaryOperator<HttpClient> httpClientCustomizer = UnaryOperator.identity();
    private Function<HttpClient, ClientHttpConnector> connectorFactory = ReactorClientHttpConnector::new;
    private @Nullable JsonMapper jsonMapper;
    private final List<FalRequestListener> listeners = new ArrayList<>();
    private @Nullable Executor listenerExecutor;
    private @Nullable Priority defaultPriority;
    private @Nullable String defaultWebhookUrl;
    private final Map<String, String> defaultHeaders = new LinkedHashMap<>();
    private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;
    private @Nullable FalRequestObservationConvention observationConvention;

    FalClientBuilder() {
    }

    abstract B self();

    /** The fal API key ({@code key} or {@code key_id:key_secret}). Blank means: use the environment. */
    public B key(@Nullable String key) {
        this.key = key;
        return self();
    }

    /**
     * A key read on every request (e.g. from a secret manager). Takes precedence over {@link #key(String)} and the
     * environment; when it returns blank, those are tried.
     */
    public B credentials(Supplier<@Nullable String> credentials) {
        return credentials(FalCredentials.supplier(credentials));
    }

    /** A credential source read on every request, tried before {@link #key(String)} and the environment. */
    public B credentials(FalCredentials credentials) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        return self();
    }

    /** All of fal's base URLs at once. */
    public B urls(UrlSettings urls) {
        this.urls = Objects.requireNonNull(urls, "urls");
        return self();
    }

    /** Base URL of fal's queue API; may carry a path prefix, which every URL keeps. */
    public B queueUrl(String queueUrl) {
        return urls(urls.withQueueUrl(queueUrl));
    }

    /** Base URL of fal's direct run API. */
    public B runUrl(String runUrl) {
        return urls(urls.withRunUrl(runUrl));
    }

    /** Base URL of fal's REST API (tokens, storage). */
    public B restUrl(String restUrl) {
        return urls(urls.withRestUrl(restUrl));
    }

    /** Base URL of fal's CDN. */
    public B cdnUrl(String cdnUrl) {
        return urls(urls.withCdnUrl(cdnUrl));
    }

    /** Bounds of one HTTP call (connect and response timeouts, in-memory limit). */
    public B http(HttpSettings http) {
        this.http = Objects.requireNonNull(http, "http");
        return self();
    }

    /** TCP connect timeout of every call. */
    public B connectTimeout(Duration connectTimeout) {
        return http(http.withConnectTimeout(connectTimeout));
    }

    /** Longest silence allowed while waiting for (or reading) the response of one attempt of a queue call. */
    public B responseTimeout(Duration responseTimeout) {
        return http(http.withResponseTimeout(responseTimeout));
    }

    /** Total deadline of one queue call (submit, status, result, cancel) across all attempts and retry delays. */
    public B callTimeout(Duration callTimeout) {
        return http(http.withCallTimeout(callTimeout));
    }

    /**
     * Total deadline of a direct run, also the longest silence of each of its attempts (a run holds the connection
     * until the model finishes). {@link RunOptions.Builder#timeout(Duration)} replaces it per call.
     */
    public B runTimeout(Duration runTimeout) {
        return http(http.withRunTimeout(runTimeout));
    }

    /** Largest response body held in memory, in bytes; a larger response fails with a {@link FalResponseException}. */
    public B maxInMemorySize(int bytes) {
        return http(http.withMaxInMemorySize(bytes));
    }

    /** How HTTP calls are retried. */
    public B retry(RetrySettings retry) {
        this.retry = Objects.requireNonNull(retry, "retry");
        return self();
    }

    /** Attempts per call, the first included; {@code 1} (or {@code 0}) disables every retry. */
    public B maxAttempts(int maxAttempts) {
        return retry(retry.withMaxAttempts(maxAttempts));
    }

    /** First retry delay; later ones double up to {@link #maxBackoff(Duration)}. */
    public B initialBackoff(Duration initialBackoff) {
        return retry(retry.withInitialBackoff(initialBackoff));
    }

    /** Largest retry delay. */
    public B maxBackoff(Duration maxBackoff) {
        return retry(retry.withMaxBackoff(maxBackoff));
    }

    /** Random jitter factor of retry delays, from 0 (none) to 1. */
    public B jitter(double jitter) {
        return retry(retry.withJitter(jitter));
    }

    /** Longest {@code Retry-After} the client honours; longer values are capped. */
    public B maxRetryAfter(Duration maxRetryAfter) {
        return retry(retry.withMaxRetryAfter(maxRetryAfter));
    }

    /**
     * Whether a submit or run POST is also retried when it may already have reached fal (a gateway 502/504, or a
     * connection lost after sending). Off by default: such a retry can run, and bill, the request twice.
     */
    public B retryAmbiguousSubmits(boolean retry) {
        return retry(this.retry.withRetryAmbiguousSubmits(retry));
    }

    /** The client's connection pool. */
    public B pool(PoolSettings pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
        return self();
    }

    /** Size of the client's connection pool. */
    public B maxConnections(int maxConnections) {
        return pool(pool.withMaxConnections(maxConnections));
    }

    /** How many calls may wait for a pooled connection before new ones are rejected. */
    public B pendingAcquireMaxCount(int count) {
        return pool(pool.withPendingAcquireMaxCount(count));
    }

    /** How long a call may wait for a pooled connection. */
    public B pendingAcquireTimeout(Duration timeout) {
        return pool(pool.withPendingAcquireTimeout(timeout));
    }

    /**
     * Most status streams open at once. A stream holds a pooled connection for the whole wait, so beyond this limit
     * further waits poll instead of starving other calls.
     */
    public B maxStatusStreams(int max) {
        return pool(pool.withMaxStatusStreams(max));
    }

    /**
     * Whether Reactor Netty records the metrics of the client's connection pools in Micrometer's global registry
     * (default true; ignored without {@code micrometer-core}).
     */
    public B poolMetrics(boolean metrics) {
        return pool(pool.withMetrics(metrics));
    }

    /** How the client waits for completion. */
    public B waiting(WaitSettings waiting) {
        this.waiting = Objects.requireNonNull(waiting, "waiting");
        return self();
    }

    /** Default way of waiting for completion in {@code subscribe}, {@code get} and {@code result}. */
    public B statusMode(StatusMode statusMode) {
        return waiting(waiting.withStatusMode(statusMode));
    }

    /** Default interval between status polls. */
    public B pollInterval(Duration pollInterval) {
        return waiting(waiting.withPollInterval(pollInterval));
    }

    /**
     * How long a status stream may stay silent before the client falls back to polling; also how long a streaming
     * run may stay silent between events before it fails ({@link StreamOptions.Builder#idleTimeout(Duration)}
     * replaces it per call). Keep-alive comments count as activity.
     */
    public B streamIdleTimeout(Duration streamIdleTimeout) {
        return waiting(waiting.withStreamIdleTimeout(streamIdleTimeout));
    }

    /**
     * Bound of every wait for completion that has no explicit client timeout ({@code get}, {@code result},
     * {@code subscribe} without {@code clientTimeout}, background tracking).
     */
    public B waitTimeout(Duration waitTimeout) {
        return waiting(waiting.withWaitTimeout(waitTimeout));
    }

    /** Background tracking and the listener's memory of recent requests. */
    public B tracking(TrackingSettings tracking) {
        this.tracking = Objects.requireNonNull(tracking, "tracking");
        return self();
    }

    /** Default of {@link SubmitOptions.Builder#track(boolean)}. */
    public B trackSubmitted(boolean track) {
        return tracking(tracking.withTrackSubmitted(track));
    }

    /** Whether background tracking asks for log lines (reported through {@link FalRequestListener#onLogs}). */
    public B trackWithLogs(boolean withLogs) {
        return tracking(tracking.withTrackWithLogs(withLogs));
    }

    /** Most requests tracked in the background at once; a tracked submit beyond it fails before submitting. */
    public B maxTrackedRequests(int max) {
        return tracking(tracking.withMaxTrackedRequests(max));
    }

    /** How many recent requests the client remembers to report each transition once. */
    public B maxObservedRequests(int max) {
        return tracking(tracking.withMaxObservedRequests(max));
    }

    /** Uploads to fal's storage: automatic upload of file arguments, multipart, default lifetime of files. */
    public B storage(StorageSettings storage) {
        this.storage = Objects.requireNonNull(storage, "storage");
        return self();
    }

    /**
     * Whether {@code Path}, {@code File} and Spring {@code Resource} values in call arguments are uploaded and
     * replaced by their URLs (default true); when off they are refused.
     */
    public B autoUpload(boolean autoUpload) {
        return storage(storage.withAutoUpload(autoUpload));
    }

    /** Size in bytes above which files are uploaded in parts (default 100 MB). */
    public B multipartThreshold(long bytes) {
        return storage(storage.withMultipartThreshold(bytes));
    }

    /** Size in bytes of each part of a multipart upload (default 10 MB). */
    public B partSize(int bytes) {
        return storage(storage.withPartSize(bytes));
    }

    /** Most parts of one file, and files of one call, uploaded at once (default 10). */
    public B uploadParallelism(int parallelism) {
        return storage(storage.withParallelism(parallelism));
    }

    /** Lifetime of uploaded files: never, immediate, 1h, 1d, 7d, 30d, 1y or seconds (default never). */
    public B defaultExpiresIn(String expiresIn) {
        return storage(storage.withDefaultExpiresIn(expiresIn));
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
     * Spring Boot's SSL bundles and redirect policy, without giving up the client's pool and timeouts. It is called
     * once per connection pool (calls, and status streams).
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

    /**
     * Where the client records one {@code fal.request} observation per queue request, from submit to its end
     * (default: {@link ObservationRegistry#NOOP}, nothing recorded). Its keys are documented by
     * {@link dev.falclient.observation.FalRequestObservationDocumentation}; listener calls run in its scope. Give
     * the same registry to {@link #webClientBuilder(WebClient.Builder)} for {@code http.client.requests}.
     */
    public B observationRegistry(ObservationRegistry registry) {
        this.observationRegistry = Objects.requireNonNull(registry, "registry");
        return self();
    }

    /** Replaces the default convention (name and keys) of the {@code fal.request} observation. */
    public B observationConvention(FalRequestObservationConvention convention) {
        this.observationConvention = Objects.requireNonNull(convention, "convention");
        return self();
    }

    /** Queue priority of submits that set none (default: none sent, which fal treats as normal). */
    public B defaultPriority(@Nullable Priority priority) {
        this.defaultPriority = priority;
        return self();
    }

    /**
     * The webhook URL of every queue submit (and subscribe) that names none: fal POSTs the outcome there when the
     * request ends (see {@code dev.falclient.webhook.FalWebhookVerifier}). {@code null} or blank: none.
     */
    public B defaultWebhookUrl(@Nullable String webhookUrl) {
        this.defaultWebhookUrl = webhookUrl == null || webhookUrl.isBlank() ? null : webhookUrl.trim();
        return self();
    }

    /**
     * A header sent with every submit, run and subscribe unless the call sets it, e.g. {@code X-Fal-Store-IO: 0}.
     */
    public B defaultHeader(String name, String value) {
        RequestOptions.putHeader(defaultHeaders, name, value);
        return self();
    }

    ClientConfig config() {
        FalCredentials chain = FalCredentials.key(key).orElse(FalCredentials.environment());
        if (credentials != null) {
            chain = credentials.orElse(chain);
        }
        return new ClientConfig(chain, urls, http, retry, pool, waiting, tracking, storage,
                webClientBuilder == null ? WebClient.builder() : webClientBuilder.clone(), httpClientCustomizer,
                connectorFactory, jsonMapper == null ? FalJson.defaultMapper() : jsonMapper, List.copyOf(listeners),
                listenerExecutor == null ? Schedulers.boundedElastic()::schedule : listenerExecutor,
                defaultPriority, Map.copyOf(defaultHeaders), ApiObjects.INSTANCE, defaultWebhookUrl,
                observationRegistry, observationConvention);
    }
}
