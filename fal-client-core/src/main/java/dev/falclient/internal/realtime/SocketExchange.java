package dev.falclient.internal.realtime;

import dev.falclient.realtime.FalRealtimeException;
import dev.falclient.realtime.RealtimeOptions;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.publisher.SynchronousSink;
import reactor.core.scheduler.Scheduler;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;
import tools.jackson.databind.JsonNode;

/**
 * One open socket: inputs written one at a time, frames read into outputs, and the end told apart: the
 * client closing (fal's idle {@code TIMEOUT}, or no output for a while after the last input), fal closing normally,
 * an app error, or an abnormal close.
 */
final class SocketExchange {

    /** How long fal's close status is awaited once its frames have ended. */
    private static final Duration CLOSE_STATUS_WAIT = Duration.ofSeconds(5);

    private final WebsocketInbound in;
    private final WebsocketOutbound out;
    private final Frames frames;
    private final RealtimeOptions options;
    private final Scheduler timer;
    private final int maxFrameSize;
    private final Sinks.Empty<Void> stop = Sinks.empty();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final Disposable.Swap outputTimer = Disposables.swap();
    private final Disposable.Swap closeWait = Disposables.swap();
    private final Consumer<SocketExchange> onClosing;
    private volatile boolean inputsSent;

    /** @param onClosing runs once the client decided to close: inputs from then on wait for the next socket */
    SocketExchange(WebsocketInbound in, WebsocketOutbound out, Frames frames, RealtimeOptions options,
                   Scheduler timer, int maxFrameSize, Consumer<SocketExchange> onClosing) {
        this.onClosing = onClosing;
        this.in = in;
        this.out = out;
        this.frames = frames;
        this.options = options;
        this.timer = timer;
        this.maxFrameSize = maxFrameSize;
    }

    /** Writes one input: {@code true} once written, {@code false} if the socket is gone. */
    Mono<Boolean> write(Object input) {
        WebSocketFrame frame;
        try {
            frame = frames.encode(input, options.encoding(), out.alloc());
        } catch (RuntimeException e) {
            return Mono.error(new InputFailure(e));
        }
        return out.sendObject(frame).then().thenReturn(true).onErrorResume(broken -> Mono.just(false));
    }

    /** The outputs, until the socket closes. */
    Flux<JsonNode> receive() {
        return in.aggregateFrames(maxFrameSize).receiveFrames()
                .<JsonNode>handle(this::read)
                .takeUntilOther(stop.asMono())
                .concatWith(Mono.defer(this::end))
                .doOnCancel(() -> out.sendClose(WebSocketCloseStatus.NORMAL_CLOSURE.code(), "client closed")
                        .subscribe(null, ignored -> { }))
                .doFinally(signal -> {
                    outputTimer.dispose();
                    closeWait.dispose();
                });
    }

    private void read(WebSocketFrame frame, SynchronousSink<JsonNode> sink) {
        Frames.Inbound inbound = frames.decode(frame);
        if (inbound instanceof Frames.Output output) {
            if (inputsSent) {
                armOutputTimer();
            }
            sink.next(output.output());
        } else if (inbound instanceof Frames.Error error) {
            if (error.idle()) {
                closeNormally();
            } else {
                sink.error(new FalRealtimeException(error.code(), error.reason(), 0, 0, null));
            }
        }
    }

    /** The inputs have completed: from now on, a silence of the output timeout ends the session. */
    void allSent() {
        inputsSent = true;
        armOutputTimer();
    }

    private void armOutputTimer() {
        outputTimer.update(timer.schedule(this::closeNormally, options.outputTimeout().toMillis(), TimeUnit.MILLISECONDS));
    }

    /**
     * The client ends the session: a close frame first, so that fal sees a normal close; fal's answering close then
     * ends the frames. Should fal not answer, the session ends anyway after a while.
     */
    private void closeNormally() {
        if (stopped.compareAndSet(false, true)) {
            onClosing.accept(this);
            out.sendClose(WebSocketCloseStatus.NORMAL_CLOSURE.code(), "done").subscribe(null, ignored -> { });
            closeWait.update(timer.schedule(() -> stop.tryEmitEmpty(), CLOSE_STATUS_WAIT.toMillis(),
                    TimeUnit.MILLISECONDS));
        }
    }

    private Mono<JsonNode> end() {
        if (stopped.get()) {
            return Mono.empty();
        }
        return in.receiveCloseStatus()
                .timeout(CLOSE_STATUS_WAIT, timer)
                .onErrorResume(ignored -> Mono.empty())
                .defaultIfEmpty(WebSocketCloseStatus.ABNORMAL_CLOSURE)
                .flatMap(status -> normal(status) ? Mono.empty() : Mono.error(new FalRealtimeException(
                        FalRealtimeException.CONNECTION_CLOSED, "fal closed the realtime connection with status "
                        + status.code() + (status.reasonText().isEmpty() ? "" : " (" + status.reasonText() + ")"),
                        status.code(), 0, null)));
    }

    private static boolean normal(WebSocketCloseStatus status) {
        return status.code() == WebSocketCloseStatus.NORMAL_CLOSURE.code()
                || status.code() == WebSocketCloseStatus.ENDPOINT_UNAVAILABLE.code();
    }
}
