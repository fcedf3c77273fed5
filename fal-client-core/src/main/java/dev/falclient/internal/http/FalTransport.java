package dev.falclient.internal.http;

import dev.falclient.FalClientStats;
import dev.falclient.FalCredentials;
import dev.falclient.internal.ClientConfig;
import dev.falclient.internal.json.Excerpt;
import dev.falclient.internal.json.FalJson;
import io.netty.channel.ChannelOption;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientRequest;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The HTTP layer: one pooled Reactor Netty connector, authentication, per-call timeouts, retries, error mapping
 * and call statistics. Bodies are read as bytes and parsed with the client's own mapper, so application-wide codec
 * settings cannot change fal payloads and every response is fully consumed (and its connection released).
 */
public final class FalTransport implements AutoCloseable {

    public static final String USER_AGENT = "fal-client-java/" + version();
    private static final byte[] EMPTY = new byte[0];
    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE =
            new ParameterizedTypeReference<>() { };

    private final ClientConfig config;
    private final FalJson json;
    private final RetryPolicy retries;
    private final ErrorMapper errors;
    private final CallStats stats = new CallStats();
    private final ConnectionProvider pool;
    private final WebClient webClient;
    private final AtomicBoolean closed = new AtomicBoolean();

    public FalTransport(ClientConfig config, FalJson json) {
        this.config = config;
        this.json = json;
        this.retries = new RetryPolicy(config.retry());
        this.errors = new ErrorMapper(config.api(), json, config.http().maxInMemorySize());
        this.pool = ConnectionProvider.builder("fal-client")
                .maxConnections(config.pool().maxConnections())
                .pendingAcquireMaxCount(config.pool().pendingAcquireMaxCount())
                .pendingAcquireTimeout(config.pool().pendingAcquireTimeout())
                // below typical load-balancer idle timeouts, so a pooled connection is never reused after the
                // other side silently dropped it
                .maxIdleTime(Duration.ofSeconds(30))
                .evictInBackground(Duration.ofSeconds(30))
                .build();
        HttpClient http = HttpClient.create(pool)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.http().connectTimeout().toMillis())
                .responseTimeout(config.http().responseTimeout());
        this.webClient = config.webClientBuilder()
                .clientConnector(config.connectorFactory().apply(config.httpClientCustomizer().apply(http)))
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(config.http().maxInMemorySize()))
                .build();
    }

    /** Sends the call (with retries) and returns the parsed JSON body. */
    public Mono<JsonNode> json(HttpCall call) {
        return Mono.defer(() -> {
            // counted down before the outcome reaches the caller, so stats() agree with what the caller saw
            stats.started();
            AtomicBoolean ended = new AtomicBoolean();
            Runnable end = () -> {
                if (ended.compareAndSet(false, true)) {
                    stats.ended();
                }
            };
            return Mono.defer(() -> exchange(call))
                    .retryWhen(retries.forCall(call))
                    .onErrorMap(e -> errors.translate(e, call))
                    .doOnSuccess(ok -> {
                        end.run();
                        stats.succeeded();
                    })
                    .doOnError(e -> {
                        end.run();
                        stats.failed(e);
                    })
                    .doOnCancel(end);
        });
    }

    /** Opens a server-sent-event stream and emits each event's data. Not retried: callers fall back to polling. */
    public Flux<String> events(HttpCall call) {
        return Flux.defer(() -> {
            String key = credential();
            return webClient.get().uri(call.uri())
                    .headers(h -> headers(h, call, key, MediaType.TEXT_EVENT_STREAM))
                    .httpRequest(r -> responseTimeout(r.getNativeRequest(), call.responseTimeout()))
                    .exchangeToFlux(response -> {
                        if (!response.statusCode().is2xxSuccessful()) {
                            return body(response).flatMapMany(bytes -> Flux.<String>error(
                                    httpError(response, bytes, call)));
                        }
                        MediaType type = response.headers().contentType().orElse(null);
                        if (type == null || !MediaType.TEXT_EVENT_STREAM.isCompatibleWith(type)) {
                            return response.releaseBody().then(Mono.<String>error(errors.unreadable(
                                    "Content-Type " + type + " instead of text/event-stream", call, null))).flux();
                        }
                        return response.bodyToFlux(SSE).mapNotNull(ServerSentEvent::data)
                                .filter(data -> !data.isBlank());
                    });
        }).onErrorMap(e -> errors.translate(e, call));
    }

    private Mono<JsonNode> exchange(HttpCall call) {
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
            throw new ClientClosedException();
        }
        FalCredentials credentials = config.credentials();
        return credentials.resolve().orElseThrow(() -> config.api().missingCredentials(credentials)).key();
    }

    private static void headers(HttpHeaders h, HttpCall call, String key, MediaType accept) {
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

    private JsonNode parse(byte[] bytes, HttpCall call) {
        try {
            return json.read(bytes);
        } catch (JacksonException e) {
            throw errors.unreadable("malformed JSON (" + Excerpt.of(new String(bytes, StandardCharsets.UTF_8)) + ")",
                    call, e);
        }
    }

    private RuntimeException httpError(ClientResponse response, byte[] bytes, HttpCall call) {
        return errors.httpError(response.statusCode().value(), response.headers().asHttpHeaders(),
                new String(bytes, StandardCharsets.UTF_8), call);
    }

    public boolean isClosed() {
        return closed.get();
    }

    public FalClientStats stats() {
        return stats.snapshot(config.api(), config.credentials().resolve(), config.urls().queueUrl());
    }

    @Override
    public void close() {
        closed.set(true);
        pool.dispose();
    }

    private static String version() {
        Properties p = new Properties();
        try (InputStream in = FalTransport.class.getResourceAsStream("/dev/falclient/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException ignored) {
            // the version only decorates the User-Agent
        }
        return p.getProperty("version", "dev");
    }
}
