package dev.falclient.emulator;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.ArrayDeque;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One realtime session (fal-protocol.md section 5.8): inputs are taken up one at a time in arrival order, each answered
 * after the processing time by a timings message and the output, in the input's encoding (msgpack binary or JSON
 * text). Inputs that wait while more than {@code max_buffering} others arrive are dropped, oldest first. The session
 * ends when the client closes, when it goes idle ({@code TIMEOUT}, close 1000), when the script fails it
 * ({@code INTERNAL_ERROR}, close 1011) or drops it (no close frame), or on {@link #shutDown()}.
 */
final class RealtimeSessionRunner {

    private static final Logger log = LoggerFactory.getLogger(RealtimeSessionRunner.class);
    static final String IDLE_REASON = "no inputs, reconnect when needed!";

    /** How the session ends. */
    private sealed interface End {
        /** The server closes with {@code code}, after sending {@code message} when there is one. */
        record Close(int code, String reason, @Nullable String message) implements End {
        }

        record Drop() implements End {
        }

        record ClientGone() implements End {
        }
    }

    private record Input(JsonNode value, boolean text) {
    }

    private final RealtimeScript script;
    private final int maxBuffering;
    private final int maxFrame;
    private final DefaultOutputs defaults;
    private final RealtimeSessions sessions;
    private final RealtimeSessions.Log record;
    private final Sinks.Empty<Void> done = Sinks.empty();
    // guarded by this
    private final ArrayDeque<Input> waiting = new ArrayDeque<>();
    private boolean busy;
    private int taken;
    private @Nullable End end;
    private @Nullable Disposable idle;
    private @Nullable Disposable step;
    private @Nullable WebsocketOutbound out;

    RealtimeSessionRunner(RealtimeScript script, int maxBuffering, int maxFrame, DefaultOutputs defaults,
                          RealtimeSessions sessions, RealtimeSessions.Log record) {
        this.script = script;
        this.maxBuffering = maxBuffering;
        this.maxFrame = maxFrame;
        this.defaults = defaults;
        this.sessions = sessions;
        this.record = record;
    }

    /** Runs the session on an upgraded connection; completes when it is over. */
    Publisher<Void> run(WebsocketInbound in, WebsocketOutbound out) {
        synchronized (this) {
            this.out = out;
            armIdle();
        }
        in.receiveCloseStatus().subscribe(s -> sessions.closed(record, s.code()));
        in.withConnection(c -> c.onDispose(() -> {
            sessions.closed(record, 1006);
            end(new End.ClientGone());
        }));
        in.aggregateFrames(maxFrame).receiveFrames().subscribe(this::frame, e -> end(new End.ClientGone()),
                () -> end(new End.ClientGone()));
        return done.asMono().then(Mono.defer(this::finish));
    }

    /** Ends the session with 1001 (the emulator is reset or stops). */
    void shutDown() {
        end(new End.Close(1001, "Emulator reset", null));
    }

    private void frame(WebSocketFrame frame) {
        Input input;
        long size = frame.content().readableBytes();
        try {
            if (frame instanceof TextWebSocketFrame t) {
                input = new Input(Replies.parseInput(t.text()), true);
            } else if (frame instanceof BinaryWebSocketFrame) {
                input = new Input(MsgpackJson.decode(ByteBufUtil.getBytes(frame.content())), false);
            } else {
                return; // ping and pong: Netty answers pings itself
            }
        } catch (JacksonException | MsgpackJson.Malformed e) {
            // fal's app would raise on an input it cannot decode
            end(internalError("Could not decode the input: " + e.getMessage()));
            return;
        }
        sessions.input(record, input.value(), size);
        synchronized (this) {
            if (end != null) {
                return;
            }
            waiting.addLast(input);
            while (waiting.size() > maxBuffering) {
                sessions.dropped(record, waiting.pollFirst().value());
            }
            armIdle();
            if (!busy) {
                next();
            }
        }
    }

    /** Takes up the next waiting input, if any. Under the lock. */
    private void next() {
        Input input = waiting.pollFirst();
        busy = input != null;
        if (input == null) {
            return;
        }
        int n = ++taken;
        // Mono.delay's timer thread, not the event loop, runs the (user) output function
        step = Flux.range(0, script.outputsPerInput())
                .concatMap(i -> Mono.delay(script.processingTime()).then(Mono.defer(() -> answer(input, n, i))))
                .subscribe(x -> { }, this::stepFailed, this::stepDone);
    }

    private Mono<Void> answer(Input input, int n, int index) {
        if (index == 0 && script.failure() != null && script.failure().fires(n)) {
            end(internalError(script.failure().reason));
            return Mono.empty();
        }
        if (index == 0 && script.drop() != null && script.drop().fires(n)) {
            end(new End.Drop());
            return Mono.empty();
        }
        double seconds = script.processingTime().toNanos() / 1e9;
        JsonNode output;
        try {
            output = output(input.value(), seconds);
        } catch (RuntimeException e) {
            // a scripted function that throws is an app that raises
            log.debug("fal emulator: realtime output function failed", e);
            end(internalError(String.valueOf(e)));
            return Mono.empty();
        }
        WebsocketOutbound o;
        synchronized (this) {
            if (end != null || output == null) {
                return Mono.empty();
            }
            o = out;
        }
        ObjectNode timings = Replies.NODES.objectNode().put("type", "x-fal-message").put("action", "timings")
                .put("timing", seconds);
        WebSocketFrame data = input.text() ? new TextWebSocketFrame(output.toString())
                : new BinaryWebSocketFrame(Unpooled.wrappedBuffer(MsgpackJson.encode(output)));
        return o.sendObject(Flux.just(new TextWebSocketFrame(timings.toString()), data)).then()
                .doOnSuccess(x -> sessions.output(record));
    }

    private @Nullable JsonNode output(JsonNode input, double seconds) {
        if (script.output() != null) {
            return script.output().apply(input.deepCopy());
        }
        ObjectNode out = (ObjectNode) defaults.output(UUID.randomUUID().toString(), input, seconds);
        if (input.has("request_id")) {
            out.set("request_id", input.get("request_id"));
        }
        return out;
    }

    private void stepFailed(Throwable e) {
        // a send that failed: the client went away
        log.debug("fal emulator: realtime send failed", e);
        end(new End.ClientGone());
    }

    private void stepDone() {
        synchronized (this) {
            if (end == null) {
                next();
            }
        }
    }

    /** (Re)starts the idle timer. Under the lock. */
    private void armIdle() {
        if (idle != null) {
            idle.dispose();
        }
        idle = Mono.delay(script.idleTimeout()).subscribe(x -> idleFired());
    }

    private void idleFired() {
        synchronized (this) {
            if (end != null) {
                return;
            }
            if (busy || !waiting.isEmpty()) {
                armIdle();
                return;
            }
        }
        end(new End.Close(1000, "", error("TIMEOUT", IDLE_REASON)));
    }

    private void end(End how) {
        synchronized (this) {
            if (end != null) {
                return;
            }
            end = how;
            if (idle != null) {
                idle.dispose();
            }
            if (step != null) {
                step.dispose();
            }
            waiting.clear();
        }
        done.tryEmitEmpty();
    }

    private Mono<Void> finish() {
        End how;
        WebsocketOutbound o;
        synchronized (this) {
            how = end;
            o = out;
        }
        if (how instanceof End.Close c) {
            sessions.closed(record, c.code());
            Mono<Void> message = c.message() == null ? Mono.empty()
                    : o.sendObject(new TextWebSocketFrame(c.message())).then();
            return message.then(Mono.defer(() -> o.sendClose(c.code(), c.reason()))).onErrorResume(e -> Mono.empty());
        }
        if (how instanceof End.Drop) {
            sessions.closed(record, 1006);
            // never complete normally: Reactor Netty would send a close frame on completion
            return Mono.create(sink -> o.withConnection(c -> {
                c.onDispose(sink::success);
                c.channel().close();
            }));
        }
        return Mono.empty();
    }

    private static End internalError(String reason) {
        return new End.Close(1011, "INTERNAL_ERROR", error("INTERNAL_ERROR", reason));
    }

    private static String error(String code, String reason) {
        return Replies.NODES.objectNode().put("type", "x-fal-error").put("error", code).put("reason", reason)
                .toString();
    }
}
