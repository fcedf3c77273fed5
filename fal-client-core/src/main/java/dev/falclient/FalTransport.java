package dev.falclient;

import io.netty.channel.ChannelOption;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientRequest;
import reactor.netty.resources.ConnectionProvider;
import reactor.util.retry.Retry;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The HTTP layer: one pooled Reactor Netty connector, authentication, per-call timeouts, retries, error mapping
 * and call statistics. Bodies are read as bytes and parsed with the client's own mapper, so application-wide codec
 * settings cannot change fal payloads and every response is fully consumed (and its connection released).
 */
final class FalTransport implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FalTransport.class);
    private static final byte[] EMPTY = new byte[0];
    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE =
            new ParameterizedTypeReference<>() { };
    static final String USER_AGENT = "fal-client-java/" + version();

    /** One HTTP call. {@code post} marks a non-idempotent submit or run. */
    record Call(HttpMethod method, URI uri, byte[] body, Map<String, String> headers, boolean post,
                String requestId, Duration responseTimeout) {

        String describe() {
            return method + " " + uri;
        }
    }

    private final FalClientSettings settings;
    private final ConnectionProvider pool;
    private final WebClient webClient;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile Instant lastSuccess;
    private volatile Instant lastFailure;
    private volatile Integer lastFailureStatus;
    private volatile String lastErrorType;

    FalTransport(FalClientSettings settings) {
        this.settings = settings;
        this.pool = ConnectionProvider.builder("fal-client")
                .maxConnections(settings.maxConnections())
                .pendingAcquireMaxCount(settings.pendingAcquireMaxCount())
                .pendingAcquireTimeout(settings.pendingAcquireTimeout())
                // below typical load-balancer idle timeouts, so a pooled connection is never reused after the
                // other side silently dropped it
                .maxIdleTime(Duration.ofSeconds(30))
                .evictInBackground(Duration.ofSeconds(30))
                .build();
        HttpClient http = HttpClient.create(pool)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
                .responseTimeout(settings.responseTimeout());
        this.webClient = settings.webClientBuilder()
                .clientConnector(settings.connectorFactory().apply(settings.httpClientCustomizer().apply(http)))
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(settings.maxInMemorySize()))
                .build();
    }

    /** Sends the call (with retries) and returns the parsed JSON body. */
    Mono<JsonNode> json(Call call) {
        return Mono.defer(() -> {
            // counted down before the outcome reaches the caller, so stats() agree with what the caller saw
            inFlight.incrementAndGet();
            AtomicBoolean ended = new AtomicBoolean();
            Runnable end = () -> {
                if (ended.compareAndSet(false, true)) {
                    inFlight.decrementAndGet();
                }
            };
            return Mono.defer(() -> exchange(call))
                    .retryWhen(retry(call))
                    .onErrorMap(e -> translate(e, call))
                    .doOnSuccess(ok -> {
                        end.run();
                        recordSuccess();
                    })
                    .doOnError(e -> {
                        end.run();
                        recordFailure(e);
                    })
                    .doOnCancel(end);
        });
    }

    /** Opens a server-sent-event stream and emits each event's data. Not retried: callers fall back to polling. */
    Flux<String> events(Call call) {
        return Flux.defer(() -> {
            String key = credential();
            return webClient.get().uri(call.uri())
                    .headers(h -> headers(h, call, key, MediaType.TEXT_EVENT_STREAM))
                    .httpRequest(r -> responseTimeout(r.getNativeRequest(), call.responseTimeout()))
                    .exchangeToFlux(response -> {
                        if (!response.statusCode().is2xxSuccessful()) {
                            return body(response).flatMapMany(bytes -> Flux.<String>error(httpError(response, bytes, call)));
                        }
                        MediaType type = response.headers().contentType().orElse(null);
                        if (type == null || !MediaType.TEXT_EVENT_STREAM.isCompatibleWith(type)) {
                            return response.releaseBody().then(Mono.<String>error(new FalException(
                                    "fal's status stream answered with Content-Type " + type + " instead of "
                                            + "text/event-stream (" + call.describe() + ")", call.requestId()))).flux();
                        }
                        return response.bodyToFlux(SSE).mapNotNull(ServerSentEvent::data)
                                .filter(data -> !data.isBlank());
                    });
        }).onErrorMap(e -> translate(e, call));
    }

    private Mono<JsonNode> exchange(Call call) {
        String key = credential();
        WebClient.RequestBodySpec spec = webClient.method(call.method()).uri(call.uri())
                .headers(h -> headers(h, call, key, MediaType.APPLICATION_JSON))
                .httpRequest(r -> responseTimeout(r.getNativeRequest(), call.responseTimeout()));
        if (call.body() != null) {
            spec.contentType(MediaType.APPLICATION_JSON).bodyValue(call.body());
        }
        return spec.exchangeToMono(response -> body(response).map(bytes -> {
            if (!response.statusCode().is2xxSuccessful()) {
                throw httpError(response, bytes, call);
            }
            return parse(bytes, call);
        }));
    }

    private static Mono<byte[]> body(ClientResponse response) {
        return response.bodyToMono(byte[].class).defaultIfEmpty(EMPTY);
    }

    private String credential() {
        if (closed.get()) {
            // Reactor Netty would silently open a new pool: refuse instead
            throw new FalException("This fal client is closed");
        }
        return settings.credentials().resolve().orElseThrow(MissingCredentialsException::new).key();
    }

    private static void headers(HttpHeaders h, Call call, String key, MediaType accept) {
        h.set(HttpHeaders.USER_AGENT, USER_AGENT);
        h.setAccept(List.of(accept));
        call.headers().forEach(h::set);
        h.set(HttpHeaders.AUTHORIZATION, "Key " + key);
    }

    private static void responseTimeout(Object nativeRequest, Duration timeout) {
        if (timeout != null && nativeRequest instanceof HttpClientRequest request) {
            request.responseTimeout(timeout);
        }
    }

    private JsonNode parse(byte[] bytes, Call call) {
        if (bytes.length == 0) {
            return settings.mapper().missingNode();
        }
        try {
            return settings.mapper().readTree(bytes);
        } catch (JacksonException e) {
            throw new FalException("fal sent malformed JSON in reply to " + call.describe() + ": "
                    + Excerpt.of(new String(bytes, StandardCharsets.UTF_8)), call.requestId(), e);
        }
    }

    private Retry retry(Call call) {
        if (settings.maxAttempts() <= 1) {
            // without this, Reactor wraps the one failure in a RetryExhaustedException
            return Retry.max(0).onRetryExhaustedThrow((spec, signal) -> signal.failure());
        }
        return Retry.backoff(settings.maxAttempts() - 1, settings.initialBackoff())
                .maxBackoff(settings.maxBackoff())
                .jitter(settings.jitter())
                .filter(e -> RetryRules.shouldRetry(e, call.post(), settings.retryAmbiguousSubmits()))
                .doBeforeRetryAsync(signal -> RetryRules.retryAfter(signal.failure(), settings.maxRetryAfter())
                        .map(delay -> Mono.delay(delay).then())
                        .orElse(Mono.empty()))
                .doBeforeRetry(signal -> log.debug("Retrying {} (attempt {} failed: {})", call.describe(),
                        signal.totalRetries() + 1, signal.failure().toString()))
                .onRetryExhaustedThrow((spec, signal) -> signal.failure());
    }

    private FalException translate(Throwable error, Call call) {
        if (error instanceof FalException fal) {
            return fal;
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof DataBufferLimitException) {
                return new FalException("fal's reply to " + call.describe() + " is larger than the in-memory limit of "
                        + settings.maxInMemorySize() + " bytes; raise maxInMemorySize (Spring: fal.max-in-memory-size)",
                        call.requestId(), error);
            }
        }
        if (RetryRules.neverSent(error)) {
            return new FalException("Could not reach fal for " + call.describe() + ": " + rootMessage(error),
                    call.requestId(), error);
        }
        if (RetryRules.isTransport(error)) {
            if (call.post()) {
                return new FalException("Lost the connection to fal after sending " + call.describe() + " ("
                        + rootMessage(error) + "); the request may have been submitted and may be billed: check "
                        + "before sending it again", call.requestId(), error, true);
            }
            return new FalException("Network failure during " + call.describe() + ": " + rootMessage(error),
                    call.requestId(), error);
        }
        return new FalException("Call to fal failed: " + call.describe() + ": " + rootMessage(error),
                call.requestId(), error);
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private FalHttpException httpError(ClientResponse response, byte[] bytes, Call call) {
        return ErrorBodies.toException(response.statusCode().value(), response.headers().asHttpHeaders(),
                new String(bytes, StandardCharsets.UTF_8), call, settings);
    }

    private void recordSuccess() {
        succeeded.incrementAndGet();
        lastSuccess = Instant.now();
    }

    private void recordFailure(Throwable error) {
        failed.incrementAndGet();
        lastFailure = Instant.now();
        if (error instanceof FalHttpException http) {
            lastFailureStatus = http.statusCode();
            lastErrorType = http.errorType() != null ? http.errorType() : "http_" + http.statusCode();
        } else {
            lastFailureStatus = null;
            lastErrorType = error.getClass().getSimpleName();
        }
    }

    FalClientStats stats() {
        var credential = settings.credentials().resolve();
        return new FalClientStats(credential.map(FalCredentials.Credential::source).orElse(null),
                credential.map(FalCredentials.Credential::masked).orElse(null), settings.queueUrl(),
                inFlight.get(), succeeded.get(), failed.get(), lastSuccess, lastFailure, lastFailureStatus,
                lastErrorType);
    }

    @Override
    public void close() {
        closed.set(true);
        pool.dispose();
    }

    private static String version() {
        Properties p = new Properties();
        try (InputStream in = FalTransport.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException ignored) {
            // the version only decorates the User-Agent
        }
        return p.getProperty("version", "dev");
    }
}
