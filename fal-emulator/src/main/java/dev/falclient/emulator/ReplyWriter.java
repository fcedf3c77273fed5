package dev.falclient.emulator;

import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Writes a {@link Reply} to Netty: a body, an event stream (with keep-alive comments), a WebSocket session or a dropped
 * connection.
 */
final class ReplyWriter {

    /** An SSE comment: clients skip it, proxies and idle timers see traffic. */
    static final String KEEP_ALIVE = ": ping\n\n";

    private final Duration keepAlive;

    /** @param keepAlive how often a comment goes out on an event stream; {@code null} for never */
    ReplyWriter(Duration keepAlive) {
        this.keepAlive = keepAlive;
    }

    /**
     * Runs {@code action} on the connection's event loop. An upgrade done elsewhere (after a scripted delay, say)
     * races Reactor Netty's switch to WebSocket frames, and a client's first frames can be dropped.
     */
    private static Mono<Void> onEventLoop(HttpServerResponse res, Supplier<Mono<Void>> action) {
        AtomicReference<EventLoop> loop = new AtomicReference<>();
        res.withConnection(connection -> loop.set(connection.channel().eventLoop()));
        EventLoop eventLoop = loop.get();
        return eventLoop == null || eventLoop.inEventLoop() ? action.get()
                : Mono.defer(action).subscribeOn(Schedulers.fromExecutor(eventLoop));
    }

    Mono<Void> write(HttpServerResponse res, Reply reply) {
        if (reply instanceof Reply.Drop) {
            return Mono.create(sink -> res.withConnection(c -> {
                c.onDispose(sink::success);
                c.channel().close();
            }));
        }
        if (reply instanceof Reply.Upgrade u) {
            return onEventLoop(res, () -> res.sendWebsocket(u.session(), u.spec()));
        }
        if (reply instanceof Reply.Body b) {
            res.status(b.status());
            b.headers().forEach(res::header);
            res.header(HttpHeaderNames.CONTENT_TYPE, b.contentType());
            res.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(b.bytes().length));
            return res.sendByteArray(Mono.just(b.bytes())).then();
        }
        Reply.Sse s = (Reply.Sse) reply;
        res.status(200);
        s.headers().forEach(res::header);
        res.header(HttpHeaderNames.CONTENT_TYPE, "text/event-stream");
        res.header(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        Flux<String> events = s.events();
        if (keepAlive != null) {
            // comments run alongside the events and stop when the events end
            events = events.publish(p -> Flux.merge(p,
                    Flux.interval(keepAlive).map(i -> KEEP_ALIVE).takeUntilOther(p.ignoreElements())));
        }
        // flush every event at once: a status event that waits in a buffer is a status the client does not see
        return res.send(events.map(ev -> Unpooled.wrappedBuffer(ev.getBytes(StandardCharsets.UTF_8))), b -> true)
                .then();
    }
}
