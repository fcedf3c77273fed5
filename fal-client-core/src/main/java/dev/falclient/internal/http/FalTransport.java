package dev.falclient.internal.http;

import dev.falclient.FalClientStats;
import dev.falclient.FalCredentials;
import dev.falclient.FalException;
import dev.falclient.internal.ClientConfig;
import dev.falclient.internal.json.Excerpt;
import dev.falclient.internal.json.FalJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.core.scheduler.Scheduler;
import reactor.netty.http.client.HttpClient;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The HTTP layer: the client's {@link Connections}, authentication, per-call timeouts, retries, error mapping
 * and call statistics. Bodies are read as bytes and parsed with the client's own mapper, so application-wide codec
 * settings cannot change fal payloads and every response is fully consumed (and its connection released).
 */
public final class FalTransport implements AutoCloseable {

    public static final String USER_AGENT = HttpParts.USER_AGENT;
    /**
     * The request attribute WebClient's observation reads the URI template from ({@code DefaultWebClient}'s
     * {@code URI_TEMPLATE_ATTRIBUTE}, set by {@code uri(String, Object...)}, which a prepared {@code URI} bypasses).
     */
    static final String URI_TEMPLATE_ATTRIBUTE = WebClient.class.getName() + ".uriTemplate";

    private final ClientConfig config;
    private final FalJson json;
    private final RetryPolicy retries;
    private final ErrorMapper errors;
    private final CallStats stats = new CallStats();
    private final Connections connections;
    private final WebClient webClient;
    private final WebClient streamClient;
    private final Scheduler timer;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Sinks.Empty<Void> closing = Sinks.empty();

    public FalTransport(ClientConfig config, FalJson json) {
        this.config = config;
        this.json = json;
        this.errors = new ErrorMapper(config.api(), json, config.http().maxInMemorySize());
        this.connections = new Connections(config);
        this.webClient = connections.calls();
        this.streamClient = connections.streams();
        this.timer = connections.timer();
        this.retries = new RetryPolicy(config.retry(), timer);
    }

    /** Sends the call (with retries, bounded by its deadline) and returns the parsed JSON body. */
    public Mono<JsonNode> json(HttpCall call) {
        return send(call, (bytes, headers) -> parse(bytes, call), null, null);
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
        }, null, null);
    }

    /** Sends the call and returns the raw answer; {@code onSend} runs just before the request is written. */
    public Mono<Reply> reply(HttpCall call, @Nullable Runnable onSend) {
        return send(call, Reply::new, onSend, null);
    }

    /**
     * Sends an {@link HttpCall.Kind#UPLOAD} call to a storage host without the fal key. {@code body} is asked for a
     * fresh body per attempt (a file region is read again, lazily, as it is written); {@code null} sends the call's
     * own body.
     */
    public Mono<Reply> upload(HttpCall call, @Nullable Supplier<Flux<DataBuffer>> body) {
        if (call.kind() != HttpCall.Kind.UPLOAD) {
            throw new IllegalArgumentException("not an upload call: " + call.kind());
        }
        return send(call, Reply::new, null, body);
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
     * The HTTP client realtime WebSockets open on (the configured customizer applied: TLS, proxies), refusing once
     * the client is closed.
     */
    public HttpClient realtimeClient() {
        if (closed.get()) {
            throw new ClientClosedException();
        }
        return connections.realtime();
    }

    /** The clock of every timeout, delay and poll interval of this client (see {@link Connections#timer()}). */
    public Scheduler timer() {
        return timer;
    }

    /** Completes when the client is closed. */
    public Mono<Void> closed() {
        return closing.asMono();
    }

    private <T> Mono<T> send(HttpCall call, BodyReader<T> reader, @Nullable Runnable onSend,
                             @Nullable Supplier<Flux<DataBuffer>> stream) {
        Duration deadline = call.kind() == HttpCall.Kind.RUN || call.kind() == HttpCall.Kind.UPLOAD
                ? call.responseTimeout() : config.http().callTimeout();
        return Mono.defer(() -> {
            // counted down before the outcome reaches the caller, so stats() agree with what the caller saw
            Runnable end = started();
            return Mono.defer(() -> call.kind() == HttpCall.Kind.UPLOAD ? upload(call, reader, stream)
                            : attempt(call, reader, onSend))
                    .retryWhen(retries.forCall(call))
                    .timeout(deadline, timer)
                    .contextWrite(context -> context.put(RetryPolicy.DEADLINE, System.nanoTime() + deadline.toNanos()))
                    .onErrorMap(e -> HttpParts.passedDeadline(e, call) ? errors.deadline(call, deadline)
                            : errors.translate(e, call))
                    .doOnSuccess(ok -> succeeded(end))
                    .doOnError(e -> failed(end, e))
                    .doOnCancel(end);
        });
    }

    /** Counts a call as started; the returned action counts it as ended, once, however it ends. */
    private Runnable started() {
        stats.started();
        AtomicBoolean ended = new AtomicBoolean();
        return () -> {
            if (ended.compareAndSet(false, true)) {
                stats.ended();
            }
        };
    }

    private void succeeded(Runnable end) {
        end.run();
        stats.succeeded();
    }

    private void failed(Runnable end, Throwable error) {
        end.run();
        stats.failed(error);
    }

    /**
     * Opens a server-sent-event stream that fails once no byte arrived for the call's response
     * timeout (or the client's, when shorter). Not retried: callers fall back to polling.
     */
    public Flux<StreamEvent> events(HttpCall call) {
        Duration idle = call.responseTimeout() == null ? config.http().responseTimeout()
                : HttpParts.min(call.responseTimeout(), config.http().responseTimeout());
        return credential().flatMapMany(key -> streamClient.get().uri(call.uri())
                .attribute(URI_TEMPLATE_ATTRIBUTE, call.uriTemplate())
                .headers(h -> HttpParts.headers(h, call, key, MediaType.TEXT_EVENT_STREAM))
                .httpRequest(r -> HttpParts.responseTimeout(r.getNativeRequest(), idle))
                .exchangeToFlux(response -> {
                    if (!response.statusCode().is2xxSuccessful()) {
                        return HttpParts.body(response).flatMapMany(bytes -> Flux.<StreamEvent>error(
                                httpError(response, bytes, call)));
                    }
                    MediaType type = response.headers().contentType().orElse(null);
                    if (type == null || !MediaType.TEXT_EVENT_STREAM.isCompatibleWith(type)) {
                        return response.releaseBody().then(Mono.<StreamEvent>error(errors.unreadable(
                                "Content-Type " + type + " instead of text/event-stream", call, null))).flux();
                    }
                    return events(response);
                })).onErrorMap(e -> errors.translate(e, call));
    }

    /**
     * POSTs a streaming run and returns its server-sent events until fal ends the body. Only the
     * wait for the answer is retried, under the rules of a run (never once fal may have started it); after the answer
     * a failure ends the stream. {@code onAnswer} gets the answer's headers before the first event. The call's
     * response timeout bounds the whole stream.
     */
    public Flux<StreamEvent> stream(HttpCall call, Consumer<HttpHeaders> onAnswer) {
        Duration deadline = call.responseTimeout();
        return Flux.defer(() -> {
            Runnable end = started();
            // errors after the answer name fal's request id
            AtomicReference<HttpCall> answered = new AtomicReference<>();
            Flux<StreamEvent> events = Flux.defer(() -> streamAttempt(call, answered, onAnswer))
                    .retryWhen(retries.forCall(call))
                    .contextWrite(context -> context.put(RetryPolicy.DEADLINE, System.nanoTime() + deadline.toNanos()));
            AtomicBoolean expired = new AtomicBoolean();
            return events.takeUntilOther(Mono.delay(deadline, timer).doOnNext(x -> expired.set(true)))
                    .concatWith(Mono.defer(() -> expired.get()
                            ? Mono.error(answered.get() == null ? errors.deadline(call, deadline)
                                    : errors.streamDeadline(answered.get(), deadline))
                            : Mono.empty()))
                    .onErrorMap(e -> errors.translate(e, answered.get() != null ? answered.get() : call))
                    .doOnComplete(() -> succeeded(end))
                    .doOnError(e -> failed(end, e))
                    .doOnCancel(end);
        });
    }

    /** The body's events, read straight from its buffers (no codec lookup, the client's own size limit). */
    private Flux<StreamEvent> events(ClientResponse response) {
        return EventStreamDecoder.decode(response.body(BodyExtractors.toDataBuffers()),
                config.http().maxInMemorySize());
    }

    /** The exception an in-band error event of a streaming run stands for (see {@link #stream}). */
    public FalException eventError(String data, HttpHeaders answerHeaders, HttpCall call) {
        return errors.eventError(data, answerHeaders, call.withRequestId(answerHeaders.getFirst("x-fal-request-id")));
    }

    private Flux<StreamEvent> streamAttempt(HttpCall call, AtomicReference<HttpCall> answered,
                                                        Consumer<HttpHeaders> onAnswer) {
        return credential().flatMapMany(key -> webClient.post().uri(call.uri())
                .attribute(URI_TEMPLATE_ATTRIBUTE, call.uriTemplate())
                .headers(h -> HttpParts.headers(h, call, key, MediaType.TEXT_EVENT_STREAM))
                .httpRequest(r -> HttpParts.responseTimeout(r.getNativeRequest(), call.responseTimeout()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(call.body())
                .exchangeToFlux(response -> {
                    if (!response.statusCode().is2xxSuccessful()) {
                        return HttpParts.body(response).flatMapMany(bytes -> Flux.<StreamEvent>error(
                                httpError(response, bytes, call)));
                    }
                    HttpHeaders headers = response.headers().asHttpHeaders();
                    HttpCall known = call.withRequestId(headers.getFirst("x-fal-request-id"));
                    answered.set(known);
                    MediaType type = response.headers().contentType().orElse(null);
                    if (type == null || !MediaType.TEXT_EVENT_STREAM.isCompatibleWith(type)) {
                        return response.releaseBody().then(Mono.<StreamEvent>error(errors.unreadable(
                                "Content-Type " + type + " instead of text/event-stream (does the endpoint stream?)",
                                known, null))).flux();
                    }
                    onAnswer.accept(headers);
                    // fal started the run: a failure from here on is final (a FalException is never retried)
                    return events(response).onErrorMap(e -> errors.translate(e, known));
                }));
    }

    private <T> Mono<T> attempt(HttpCall call, BodyReader<T> reader, Runnable onSend) {
        return credential().flatMap(key -> {
            WebClient.RequestBodySpec spec = webClient.method(call.method()).uri(call.uri())
                    .attribute(URI_TEMPLATE_ATTRIBUTE, call.uriTemplate())
                    .headers(h -> HttpParts.headers(h, call, key, MediaType.APPLICATION_JSON))
                    .httpRequest(r -> {
                        HttpParts.responseTimeout(r.getNativeRequest(), call.responseTimeout());
                        if (onSend != null) {
                            onSend.run();
                        }
                    });
            if (call.body() != null) {
                spec.contentType(MediaType.APPLICATION_JSON).bodyValue(call.body());
            }
            return spec.exchangeToMono(response -> HttpParts.body(response).map(bytes -> {
                if (!response.statusCode().is2xxSuccessful()) {
                    throw httpError(response, bytes, call);
                }
                return reader.read(bytes, response.headers().asHttpHeaders());
            }));
        });
    }

    /** One attempt of a storage-host call: the call's own headers are its only credentials. */
    private <T> Mono<T> upload(HttpCall call, BodyReader<T> reader, Supplier<Flux<DataBuffer>> stream) {
        if (closed.get()) {
            return Mono.error(new ClientClosedException());
        }
        WebClient.RequestBodySpec spec = webClient.method(call.method()).uri(call.uri())
                .attribute(URI_TEMPLATE_ATTRIBUTE, call.uriTemplate())
                .headers(h -> {
                    h.set(HttpHeaders.USER_AGENT, USER_AGENT);
                    h.setAccept(List.of(MediaType.APPLICATION_JSON));
                    call.headers().forEach(h::set);
                })
                .httpRequest(r -> HttpParts.responseTimeout(r.getNativeRequest(), call.responseTimeout()));
        if (stream != null) {
            spec.body(BodyInserters.fromDataBuffers(stream.get()));
        } else if (call.body() != null) {
            spec.bodyValue(call.body());
        }
        return spec.exchangeToMono(response -> HttpParts.body(response).map(bytes -> {
            if (!response.statusCode().is2xxSuccessful()) {
                throw httpError(response, bytes, call);
            }
            return reader.read(bytes, response.headers().asHttpHeaders());
        }));
    }

    /** Reads a successful answer; may throw {@link UnreadableReply}. */
    @FunctionalInterface
    private interface BodyReader<T> {
        T read(byte[] body, HttpHeaders headers);
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
            connections.close();
        }
    }

}
