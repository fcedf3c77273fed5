package dev.falclient.internal.realtime;

import dev.falclient.internal.http.ClientClosedException;
import dev.falclient.internal.http.FalTransport;
import dev.falclient.realtime.FalRealtimeException;
import dev.falclient.realtime.RealtimeOptions;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;

/**
 * One {@code connect} call: the caller's inputs, subscribed once and pumped one at a time into whichever socket is
 * open, and the sockets that open one after the other (the first at once; after fal closed an idle session, the
 * next when an input waits; after an abnormal close, after a backoff), each turning frames into outputs.
 */
final class RealtimeSession {

    private static final Duration MAX_RECONNECT_BACKOFF = Duration.ofSeconds(30);

    private final RealtimeTarget target;
    private final RealtimeOptions options;
    private final FalTransport transport;
    private final RealtimeTokens tokens;
    private final Frames frames;
    private final int maxFrameSize;
    private final Duration handshakeTimeout;
    private final SocketSlot slot = new SocketSlot();
    private volatile boolean inputsDone;
    private volatile boolean endedIdle;

    /** @param handshakeTimeout how long fal may take to answer the upgrade */
    RealtimeSession(RealtimeTarget target, RealtimeOptions options, FalTransport transport, RealtimeTokens tokens,
                    Frames frames, int maxFrameSize, Duration handshakeTimeout) {
        this.handshakeTimeout = handshakeTimeout;
        this.target = target;
        this.options = options;
        this.transport = transport;
        this.tokens = tokens;
        this.frames = frames;
        this.maxFrameSize = maxFrameSize;
    }

    Flux<JsonNode> outputs(Flux<?> inputs) {
        Flux<?> source = options.latestInputWins() ? inputs.onBackpressureLatest() : inputs;
        Sinks.One<JsonNode> inputFailure = Sinks.one();
        Sinks.Empty<Void> socketsDone = Sinks.empty();
        // one input at a time, taken only when a socket can write it: the source is slowed down, never drained
        Disposable pump = source.concatMap(this::send, 0).subscribe(null,
                e -> inputFailure.tryEmitError(e instanceof InputFailure ? e : new InputFailure(e)),
                this::inputsCompleted);
        return Flux.defer(() -> {
                    boolean lazily = endedIdle;
                    endedIdle = false;
                    // woken by an input waiting for a socket, or by the inputs' end (then nothing to reopen for)
                    return lazily ? slot.demand().thenMany(Flux.defer(() -> inputsDone ? Flux.empty() : socket()))
                            : socket();
                })
                .retryWhen(reconnects())
                .repeat(() -> endedIdle && !inputsDone && options.reconnectWhenIdle())
                .doOnComplete(socketsDone::tryEmitEmpty)
                .mergeWith(inputFailure.asMono())
                .takeUntilOther(socketsDone.asMono())
                .onErrorMap(InputFailure.class, Throwable::getCause)
                .doFinally(signal -> pump.dispose());
    }

    /** An input whose socket went away before it was written goes to the next socket. */
    private Mono<Void> send(Object input) {
        return slot.await().flatMap(socket -> socket.write(input).flatMap(written -> {
            if (written) {
                return Mono.<Void>empty();
            }
            slot.closed(socket);
            return slot.await().flatMap(next -> next.write(input)).then();
        }));
    }

    private void inputsCompleted() {
        inputsDone = true;
        slot.wake();
        SocketExchange open = slot.open();
        if (open != null) {
            open.allSent();
        }
    }

    private Retry reconnects() {
        return Retry.backoff(options.reconnectAttempts(), options.reconnectBackoff())
                .maxBackoff(MAX_RECONNECT_BACKOFF)
                .scheduler(transport.timer())
                .transientErrors(true)
                .filter(RealtimeSession::worthReconnecting)
                .onRetryExhaustedThrow((spec, signal) -> signal.failure());
    }

    private static boolean worthReconnecting(Throwable e) {
        if (!(e instanceof FalRealtimeException failure)) {
            return false;
        }
        return switch (failure.code()) {
            case FalRealtimeException.CONNECTION_CLOSED, FalRealtimeException.CONNECT_FAILED -> true;
            case FalRealtimeException.CONNECT_REFUSED -> failure.httpStatus().orElse(0) >= 500
                    || failure.httpStatus().orElse(0) == 429;
            default -> false;
        };
    }

    private Flux<JsonNode> socket() {
        return tokens.get(target.app(), options.tokenExpiration(), target.endpointId())
                .onErrorMap(e -> !(e instanceof ClientClosedException),
                        e -> new FalRealtimeException(FalRealtimeException.TOKEN_FAILED, "could not get a realtime "
                                + "token for " + target.endpointId() + ": " + e.getMessage(), 0, 0, e))
                .flatMapMany(token -> {
                    Sinks.Empty<Void> upgraded = Sinks.empty();
                    boolean[] connected = {false};
                    Flux<JsonNode> socket = transport.realtimeClient()
                            .headers(headers -> headers.set(HttpHeaderNames.USER_AGENT, FalTransport.USER_AGENT))
                            .websocket(WebsocketClientSpec.builder().maxFramePayloadLength(maxFrameSize).build())
                            .uri(target.uri() + query(token))
                            .handle((in, out) -> {
                                connected[0] = true;
                                upgraded.tryEmitEmpty();
                                return exchange(in, out);
                            });
                    // Reactor Netty's response timeout does not cover the upgrade: fal must answer it in time
                    Mono<JsonNode> unanswered = Mono.delay(handshakeTimeout, transport.timer())
                            .takeUntilOther(upgraded.asMono())
                            .flatMap(tick -> Mono.error(new TimeoutException("no answer to the upgrade within "
                                    + handshakeTimeout + " (the client's responseTimeout)")));
                    return socket.mergeWith(unanswered).onErrorMap(e -> failure(e, connected[0], token));
                });
    }

    private String query(String token) {
        return "?fal_jwt_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)
                + options.maxBuffering().stream().mapToObj(n -> "&max_buffering=" + n).findFirst().orElse("");
    }

    private Flux<JsonNode> exchange(WebsocketInbound in, WebsocketOutbound out) {
        Disposable refresh = tokens.keepFresh(target.app(), options.tokenExpiration(), target.endpointId());
        SocketExchange exchange = new SocketExchange(in, out, frames, options, transport.timer(), maxFrameSize,
                slot::closed);
        slot.opened(exchange);
        if (inputsDone) {
            exchange.allSent();
        }
        return exchange.receive()
                .doOnComplete(() -> endedIdle = !inputsDone)
                // before the end reaches repeat, which may open the next socket at once
                .doOnTerminate(() -> slot.closed(exchange))
                .doFinally(signal -> {
                    slot.closed(exchange);
                    refresh.dispose();
                });
    }

    /** What went wrong, in the API's terms; the token never appears in the message. */
    private Throwable failure(Throwable e, boolean connected, String token) {
        if (e instanceof FalRealtimeException || e instanceof InputFailure) {
            return e;
        }
        String to = " to " + target.endpointId() + " (" + target.uri() + ")";
        if (e instanceof WebSocketClientHandshakeException refused && refused.response() != null) {
            int status = refused.response().status().code();
            return new FalRealtimeException(FalRealtimeException.CONNECT_REFUSED, "fal refused the realtime "
                    + "connection" + to + " with HTTP " + status + hint(status), 0, status, null);
        }
        String cause = String.valueOf(e.getMessage()).replace(token, "***");
        return connected
                ? new FalRealtimeException(FalRealtimeException.CONNECTION_CLOSED, "the realtime connection" + to
                        + " broke: " + cause, WebSocketCloseStatus.ABNORMAL_CLOSURE.code(), 0, null)
                : new FalRealtimeException(FalRealtimeException.CONNECT_FAILED, "could not open the realtime "
                        + "connection" + to + ": " + e.getClass().getSimpleName() + " " + cause, 0, 0, null);
    }

    private static String hint(int status) {
        return switch (status) {
            case 401, 403 -> " (the token was refused: is the key allowed to use this app?)";
            case 404 -> " (no such app or path: check the endpoint id and RealtimeOptions.path)";
            default -> "";
        };
    }
}
