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
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import io.netty.channel.EventLoopGroup;
import reactor.core.scheduler.Scheduler;
import reactor.netty.http.HttpResources;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.LoopResources;
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
    private final ConnectionProvider streamPool;
    private final Scheduler timer;
    private final WebClient webClient;
    private final WebClient streamClient;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Sinks.Empty<Void> closing = Sinks.empty();

    public FalTransport(ClientConfig config, FalJson json) {
        this.config = config;
        this.json = json;
        this.errors = new ErrorMapper(config.api(), json, config.http().maxInMemorySize());
        // status streams hold their connection for a whole wait: in a pool of their own they can never make a
        // submit or a result fetch queue for a connection, however many requests are in flight
        this.pool = pool("fal-client", config.pool().maxConnections());
        this.streamPool = pool("fal-client-streams", Math.max(1, config.pool().maxStatusStreams()));
        HttpClient calls = httpClient(pool);
        this.timer = timer(calls);
        this.retries = new RetryPolicy(config.retry(), timer);
        this.webClient = webClient(calls);
        this.streamClient = webClient(httpClient(streamPool));
    }

    private ConnectionProvider pool(String name, int maxConnections) {
        return ConnectionProvider.builder(name)
                .maxConnections(maxConnections)
                .pendingAcquireMaxCount(config.pool().pendingAcquireMaxCount())
                .pendingAcquireTimeout(config.pool().pendingAcquireTimeout())
                // below typical load-balancer idle timeouts, so a pooled connection is never reused after the
                // other side silently dropped it
                .maxIdleTime(Duration.ofSeconds(30))
                .evictInBackground(Duration.ofSeconds(30))
                .build();
    }

    private HttpClient httpClient(ConnectionProvider connections) {
        return config.httpClientCustomizer().apply(HttpClient.create(connections)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.http().connectTimeout().toMillis())
                .responseTimeout(config.http().responseTimeout()));
    }

    private WebClient webClient(HttpClient http) {
        return config.webClientBuilder().clone()
                .clientConnector(config.connectorFactory().apply(http))
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(config.http().maxInMemorySize()))
                .build();
    }

    /** Sends the call (with retries, bounded by its deadline) and returns the parsed JSON body. */
    public Mono<JsonNode> json(HttpCall call) {
        return send(call, (bytes, headers) -> parse(bytes, call), null);
    }

    /** Sends the call (with retries, bounded by its deadline) and decodes the body straight into a value. */
    public <T> Mono<T> decode(HttpCall call, Function<byte[], T> decoder) {
        return send(call, (bytes, headers) -> {
            try {
                return decoder.apply(bytes);
            } catch (JacksonException e) {
                throw new UnreadableReply("malformed JSON ("
                        + Excerpt.of(new String(bytes, StandardCharsets.UTF_8)) + ")", e);
            }
        }, null);
    }

    /** Sends the call and returns the raw answer; {@code onSend} runs just before the request is written. */
    public Mono<Reply> reply(HttpCall call, @Nullable Runnable onSend) {
        return send(call, Reply::new, onSend);
    }

    /** The answer as JSON, or a {@code FalResponseException} naming the call. */
    public JsonNode parse(Reply reply, HttpCall call) {
        try {
            return parse(reply.body(), call);
        } catch (UnreadableReply e) {
            throw (RuntimeException) errors.translate(e, call);
        }
    }

    /**
     * The clock of every timeout, delay and poll interval of this client: the HTTP client's Netty event loops. An
     * event loop keeps its timers in a queue only it touches, so the thousands of timers that many requests in flight
     * start and cancel cost no lock; Reactor's default timer, a {@code ScheduledThreadPoolExecutor}, takes one lock
     * per timer, and on a busy machine its holder being descheduled stalls every event loop behind it.
     */
    public Scheduler timer() {
        return timer;
    }

    private static Scheduler timer(HttpClient http) {
        LoopResources loops = http.configuration().loopResources();
        EventLoopGroup group = (loops != null ? loops : HttpResources.get()).onClient(LoopResources.DEFAULT_NATIVE);
        return Schedulers.fromExecutorService(group, "fal-timer");
    }

    /** Completes when the client is closed. */
    public Mono<Void> closed() {
        return closing.asMono();
    }

    private <T> Mono<T> send(HttpCall call, BodyReader<T> reader, @Nullable Runnable onSend) {
        Duration deadline = call.kind() == HttpCall.Kind.RUN ? call.responseTimeout() : config.http().callTimeout();
        return Mono.defer(() -> {
            // counted down before the outcome reaches the caller, so stats() agree with what the caller saw
            stats.started();
            AtomicBoolean ended = new AtomicBoolean();
            Runnable end = () -> {
                if (ended.compareAndSet(false, true)) {
                    stats.ended();
                }
            };
            return Mono.defer(() -> attempt(call, reader, onSend))
                    .retryWhen(retries.forCall(call))
                    .timeout(deadline, timer)
                    .contextWrite(context -> context.put(RetryPolicy.DEADLINE, System.nanoTime() + deadline.toNanos()))
                    .onErrorMap(e -> e instanceof TimeoutException ? errors.deadline(call, deadline)
                            : errors.translate(e, call))
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

    /**
     * Opens a server-sent-event stream, comments included, that fails once no byte arrived for the call's response
     * timeout (or the client's, when shorter). Not retried: callers fall back to polling.
     */
    public Flux<ServerSentEvent<String>> events(HttpCall call) {
        Duration idle = call.responseTimeout() == null ? config.http().responseTimeout()
                : min(call.responseTimeout(), config.http().responseTimeout());
        return credential().flatMapMany(key -> streamClient.get().uri(call.uri())
                .headers(h -> headers(h, call, key, MediaType.TEXT_EVENT_STREAM))
                .httpRequest(r -> responseTimeout(r.getNativeRequest(), idle))
                .exchangeToFlux(response -> {
                    if (!response.statusCode().is2xxSuccessful()) {
                        return body(response).flatMapMany(bytes -> Flux.<ServerSentEvent<String>>error(
                                httpError(response, bytes, call)));
                    }
                    MediaType type = response.headers().contentType().orElse(null);
                    if (type == null || !MediaType.TEXT_EVENT_STREAM.isCompatibleWith(type)) {
                        return response.releaseBody().then(Mono.<ServerSentEvent<String>>error(errors.unreadable(
                                "Content-Type " + type + " instead of text/event-stream", call, null))).flux();
                    }
                    return response.bodyToFlux(SSE);
                })).onErrorMap(e -> errors.translate(e, call));
    }

    private <T> Mono<T> attempt(HttpCall call, BodyReader<T> reader, Runnable onSend) {
        return credential().flatMap(key -> {
            WebClient.RequestBodySpec spec = webClient.method(call.method()).uri(call.uri())
                    .headers(h -> headers(h, call, key, MediaType.APPLICATION_JSON))
                    .httpRequest(r -> {
                        responseTimeout(r.getNativeRequest(), call.responseTimeout());
                        if (onSend != null) {
                            onSend.run();
                        }
                    });
            if (call.body() != null) {
                spec.contentType(MediaType.APPLICATION_JSON).bodyValue(call.body());
            }
            return spec.exchangeToMono(response -> body(response).map(bytes -> {
                if (!response.statusCode().is2xxSuccessful()) {
                    throw httpError(response, bytes, call);
                }
                return reader.read(bytes, response.headers().asHttpHeaders());
            }));
        });
    }

    /** Reads a successful answer; may throw {@link UnreadableReply}. */
    @FunctionalInterface
    private interface BodyReader<T> {
        T read(byte[] body, HttpHeaders headers);
    }

    private static Mono<byte[]> body(ClientResponse response) {
        return response.bodyToMono(byte[].class).defaultIfEmpty(EMPTY);
    }

    /**
     * The key, resolved per attempt so that a rotated key is picked up. Credential sources may call a vault, so they
     * are never read on a non-blocking (event-loop or timer) thread.
     */
    private Mono<String> credential() {
        Mono<String> key = Mono.fromCallable(() -> {
            if (closed.get()) {
                // Reactor Netty would silently open a new pool: refuse instead
                throw new ClientClosedException();
            }
            FalCredentials credentials = config.credentials();
            return credentials.resolve().orElseThrow(() -> config.api().missingCredentials(credentials)).key();
        });
        return config.credentials().mayBlock() && Schedulers.isInNonBlockingThread()
                ? key.subscribeOn(Schedulers.boundedElastic()) : key;
    }

    private static void headers(HttpHeaders h, HttpCall call, String key, MediaType accept) {
        h.set(HttpHeaders.USER_AGENT, USER_AGENT);
        h.setAccept(List.of(accept));
        call.headers().forEach(h::set);
        h.set(HttpHeaders.AUTHORIZATION, "Key " + key);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
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
            throw new UnreadableReply("malformed JSON (" + Excerpt.of(new String(bytes, StandardCharsets.UTF_8)) + ")",
                    e);
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
        if (closed.compareAndSet(false, true)) {
            closing.tryEmitEmpty();
            pool.dispose();
            streamPool.dispose();
        }
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
