package dev.falclient.spring.autoconfigure.proxy;

import dev.falclient.FalCredentials;
import dev.falclient.settings.HttpSettings;
import dev.falclient.settings.PoolSettings;
import io.netty.channel.ChannelOption;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientRequest;
import reactor.netty.resources.ConnectionProvider;

/**
 * Sends an allowed call to fal on the proxy's own bounded connection pool: only the safe headers of the caller
 * ({@code Content-Type}, {@code Accept}, {@code X-Fal-*} but the target header), the application's key, the body as
 * it streams in; never a redirect followed. The answer's body is streamed back as it arrives (so server-sent events
 * pass through), with its headers minus cookies, hop-by-hop headers and anything carrying the key.
 */
final class ProxyForwarder implements AutoCloseable {

    /** Tells fal which proxy passed the call on, as fal's own server proxies do. */
    static final String CLIENT_PROXY_HEADER = "X-Fal-Client-Proxy";
    static final String CLIENT_PROXY = "fal-spring-boot-starter";

    private static final Set<String> DROPPED_RESPONSE_HEADERS = Set.of("content-length", "transfer-encoding",
            "connection", "keep-alive", "proxy-connection", "upgrade", "te", "trailer", "set-cookie", "set-cookie2",
            "authorization", "proxy-authorization", "proxy-authenticate");

    private final FalCredentials credentials;
    private final HttpSettings http;
    private final ConnectionProvider pool;
    private final WebClient webClient;

    /** @param tls Boot's settings for fal's connections (SSL bundle), applied before the proxy's own */
    ProxyForwarder(FalCredentials credentials, HttpSettings http, PoolSettings poolSettings,
                   WebClient.Builder webClient, UnaryOperator<HttpClient> tls) {
        this.credentials = credentials;
        this.http = http;
        this.pool = ConnectionProvider.builder("fal-proxy")
                .maxConnections(poolSettings.maxConnections())
                .pendingAcquireMaxCount(poolSettings.pendingAcquireMaxCount())
                .pendingAcquireTimeout(poolSettings.pendingAcquireTimeout())
                .build();
        // bodies and their Content-Encoding pass through untouched, and redirects reach the caller
        HttpClient client = tls.apply(HttpClient.create(pool)
                        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                                http.connectTimeout().toMillis())))
                .followRedirect(false)
                .compress(false);
        this.webClient = webClient.clientConnector(new ReactorClientHttpConnector(client)).build();
    }

    /**
     * The answer of fal: status and filtered headers at once, the body as it streams. Fails with
     * {@link Unavailable} when no key is configured or fal cannot be reached.
     */
    Mono<ResponseEntity<Flux<DataBuffer>>> forward(ProxyDecision.Forward call, @Nullable Flux<DataBuffer> body) {
        Duration silence = silence(call);
        Mono<Optional<FalCredentials.Credential>> key = Mono.fromCallable(credentials::resolve);
        if (credentials.mayBlock()) {
            key = key.subscribeOn(Schedulers.boundedElastic());
        }
        return key.flatMap(credential -> credential.isEmpty()
                        ? Mono.error(new Unavailable(500, "missing_credentials", "The server has no fal key: set "
                                + "fal.key (or the FAL_KEY environment variable)"))
                        : send(call, body, credential.get().key(), silence))
                .onErrorMap(e -> !(e instanceof Unavailable), e -> cause(e, Unavailable.class) != null
                        ? cause(e, Unavailable.class) : new Unavailable(502, "fal_unreachable",
                        "fal could not be reached or did not answer in time"));
    }

    private Mono<ResponseEntity<Flux<DataBuffer>>> send(ProxyDecision.Forward call, @Nullable Flux<DataBuffer> body,
                                                        String key, Duration silence) {
        HttpHeaders headers = requestHeaders(call.request().headers());
        headers.set(HttpHeaders.AUTHORIZATION, "Key " + key);
        WebClient.RequestBodySpec request = webClient.method(HttpMethod.valueOf(call.request().method()))
                .uri(call.upstream())
                .headers(h -> h.addAll(headers))
                .httpRequest(r -> {
                    if (r.getNativeRequest() instanceof HttpClientRequest netty) {
                        netty.responseTimeout(silence);
                    }
                });
        WebClient.RequestHeadersSpec<?> withBody = body == null ? request
                : request.body(BodyInserters.fromDataBuffers(body));
        return withBody.retrieve()
                .onStatus(status -> true, response -> Mono.empty())
                .toEntityFlux(DataBuffer.class)
                .map(entity -> ResponseEntity.status(entity.getStatusCode())
                        .headers(responseHeaders(entity.getHeaders(), key))
                        .body(entity.getBody() == null ? Flux.<DataBuffer>empty() : entity.getBody()
                                .doOnDiscard(DataBuffer.class, DataBufferUtils::release)));
    }

    private static <T extends Throwable> @Nullable T cause(Throwable error, Class<T> type) {
        for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (type.isInstance(e)) {
                return type.cast(e);
            }
        }
        return null;
    }

    /** The longest silence of fal's answer: a direct run holds its answer until the model finishes. */
    Duration silence(ProxyDecision.Forward call) {
        return call.run() ? http.runTimeout() : http.responseTimeout();
    }

    /** How long a blocking caller waits for fal's status and headers: the connect and silence bounds, and a margin. */
    Duration headersWait(ProxyDecision.Forward call) {
        return http.connectTimeout().plus(silence(call)).plus(http.connectTimeout());
    }

    /** The caller's headers fal may see: never cookies or the caller's Authorization. */
    static HttpHeaders requestHeaders(HttpHeaders caller) {
        HttpHeaders out = new HttpHeaders();
        caller.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("content-type") || lower.equals("accept")
                    || (lower.startsWith("x-fal-") && !lower.equals(ProxyTargets.TARGET_HEADER.toLowerCase(Locale.ROOT))
                    && !lower.equals(CLIENT_PROXY_HEADER.toLowerCase(Locale.ROOT)))) {
                out.addAll(name, values);
            }
        });
        out.set(CLIENT_PROXY_HEADER, CLIENT_PROXY);
        return out;
    }

    /** fal's headers the caller may see: no cookies, no hop-by-hop headers, nothing carrying the key. */
    static HttpHeaders responseHeaders(HttpHeaders upstream, String key) {
        HttpHeaders out = new HttpHeaders();
        upstream.forEach((name, values) -> {
            if (!DROPPED_RESPONSE_HEADERS.contains(name.toLowerCase(Locale.ROOT))
                    && values.stream().noneMatch(value -> value.contains(key))) {
                out.addAll(name, values);
            }
        });
        return out;
    }

    @Override
    public void close() {
        pool.dispose();
    }

    /** The call did not reach fal, or fal's answer did not arrive: answered by the proxy itself. */
    static final class Unavailable extends RuntimeException {

        private final ProxyDecision.Reject answer;

        Unavailable(int status, String error, String detail) {
            super(detail, null, false, false);
            this.answer = new ProxyDecision.Reject(status, error, detail);
        }

        ProxyDecision.Reject answer() {
            return answer;
        }
    }
}
