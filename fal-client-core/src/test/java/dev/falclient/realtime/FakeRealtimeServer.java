package dev.falclient.realtime;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A scripted stand-in for fal's realtime protocol, for exact-protocol tests (what WireMock is for HTTP): the token
 * route and a WebSocket route, recording what the client sent, answering each input with the frames the test's
 * script returns. Independent of the client's own msgpack code: inputs are read with msgpack-core's value API.
 */
final class FakeRealtimeServer implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.shared();

    /** What the server does in answer to one input. */
    sealed interface Action {
    }

    record Send(WebSocketFrame frame) implements Action {
    }

    record Close(int status, String reason) implements Action {
    }

    /** Drops the TCP connection without a close frame. */
    record Drop() implements Action {
    }

    /** One WebSocket connection as the server saw it. */
    record Connection(int index, Map<String, List<String>> query, String path, String authorization,
                      List<Object> inputs, AtomicInteger closeStatus) {
        String token() {
            return query.get("fal_jwt_token").get(0);
        }
    }

    final List<JsonNode> tokenRequests = new CopyOnWriteArrayList<>();
    final List<String> tokenAuthorizations = new CopyOnWriteArrayList<>();
    final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final AtomicInteger tokens = new AtomicInteger();
    volatile int handshakeStatus = 0;
    volatile Duration handshakeDelay = Duration.ZERO;
    volatile String tokenReply = null;
    /** (connection index, input) to actions; inputs are JsonNode (msgpack or JSON text) or raw byte[] otherwise. */
    volatile BiFunction<Integer, Object, List<Action>> script = (c, input) -> List.of(send(echo(input)));

    private final DisposableServer server;

    FakeRealtimeServer() {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.post("/rest/tokens/", this::token)
                        .get("/run/**", this::realtime))
                .bindNow();
    }

    String runUrl() {
        return "http://127.0.0.1:" + server.port() + "/run";
    }

    String restUrl() {
        return "http://127.0.0.1:" + server.port() + "/rest";
    }

    private Mono<Void> token(HttpServerRequest req, HttpServerResponse res) {
        tokenAuthorizations.add(String.valueOf(req.requestHeaders().get("Authorization")));
        return req.receive().aggregate().asString().flatMap(body -> {
            tokenRequests.add(JSON.readTree(body));
            String reply = tokenReply != null ? tokenReply : "\"token-" + tokens.incrementAndGet() + "\"";
            return res.header("Content-Type", "application/json").sendString(Mono.just(reply)).then();
        });
    }

    private Mono<Void> realtime(HttpServerRequest req, HttpServerResponse res) {
        if (handshakeStatus != 0) {
            return res.status(handshakeStatus).header("Content-Type", "application/json")
                    .sendString(Mono.just("{\"detail\":\"refused\"}")).then();
        }
        var decoder = new QueryStringDecoder(req.uri());
        Connection connection = new Connection(connections.size(), decoder.parameters(), decoder.path(),
                String.valueOf(req.requestHeaders().get("Authorization")), new CopyOnWriteArrayList<>(),
                new AtomicInteger());
        connections.add(connection);
        if (handshakeDelay.isZero()) {
            return res.sendWebsocket((in, out) -> session(connection, in, out));
        }
        // the upgrade must happen on the connection's event loop, or Reactor Netty may drop the first frames
        AtomicReference<EventLoop> loop = new AtomicReference<>();
        req.withConnection(c -> loop.set(c.channel().eventLoop()));
        return Mono.delay(handshakeDelay, Schedulers.fromExecutor(loop.get()))
                .then(Mono.defer(() -> res.sendWebsocket((in, out) -> session(connection, in, out))));
    }

    private Mono<Void> session(Connection connection, WebsocketInbound in, WebsocketOutbound out) {
        Sinks.Many<WebSocketFrame> replies = Sinks.many().unicast().onBackpressureBuffer();
        in.receiveCloseStatus().subscribe(status -> connection.closeStatus().set(status.code()));
        Mono<Void> reading = in.aggregateFrames().receiveFrames().concatMap(frame -> {
            Object input = read(frame);
            if (input == null) {
                return Mono.empty();
            }
            connection.inputs().add(input);
            return Flux.fromIterable(script.apply(connection.index(), input)).concatMap(action -> {
                if (action instanceof Send s) {
                    replies.tryEmitNext(s.frame());
                    return Mono.empty();
                }
                if (action instanceof Close c) {
                    return out.sendClose(c.status(), c.reason());
                }
                return Mono.fromRunnable(() -> in.withConnection(conn -> conn.channel().close()));
            });
        }).doFinally(signal -> replies.tryEmitComplete()).then();
        return Mono.when(reading, out.sendObject(replies.asFlux()).then());
    }

    private static Object read(WebSocketFrame frame) {
        byte[] bytes = ByteBufUtil.getBytes(frame.content());
        if (frame instanceof TextWebSocketFrame) {
            return JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
        }
        if (!(frame instanceof BinaryWebSocketFrame)) {
            return null;
        }
        try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(bytes)) {
            return JSON.readTree(unpacker.unpackValue().toJson());
        } catch (IOException | RuntimeException notMsgpack) {
            return bytes;
        }
    }

    static Action send(WebSocketFrame frame) {
        return new Send(frame);
    }

    static WebSocketFrame text(String json) {
        return new TextWebSocketFrame(json);
    }

    /** A msgpack map {@code {"echo": <the input as JSON text>, "image": <bin of 3 bytes>}}. */
    static WebSocketFrame echo(Object input) {
        try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
            packer.packMapHeader(2);
            packer.packString("echo").packString(input instanceof byte[] b ? "bytes:" + b.length : input.toString());
            packer.packString("image").packBinaryHeader(3).writePayload(new byte[] {1, 2, 3});
            return new BinaryWebSocketFrame(Unpooled.wrappedBuffer(packer.toByteArray()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
