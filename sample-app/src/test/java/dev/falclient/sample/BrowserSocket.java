package dev.falclient.sample;

import static org.awaitility.Awaitility.await;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A WebSocket to the sample's {@value RealtimeSocketHandler#PATH} as a browser opens it (Reactor Netty's client):
 * the headers are the test's, messages sent and received are JSON text; it records every message, the close status and
 * a refused handshake's HTTP status.
 */
final class BrowserSocket implements AutoCloseable {

    static final Duration BOUND = Duration.ofSeconds(30);

    private final List<String> received = new CopyOnWriteArrayList<>();
    private final Sinks.Many<String> outbound = Sinks.many().unicast().onBackpressureBuffer();
    private final AtomicReference<WebSocketCloseStatus> closeStatus = new AtomicReference<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Sinks.Empty<Void> opened = Sinks.empty();
    private final Disposable connection;
    private volatile boolean ended;
    private int cursor;

    private BrowserSocket(int port, Consumer<HttpHeaders> headers) {
        connection = HttpClient.create(ConnectionProvider.newConnection())
                .headers(headers)
                .websocket(WebsocketClientSpec.builder().maxFramePayloadLength(1 << 20).build())
                .uri("ws://127.0.0.1:" + port + RealtimeSocketHandler.PATH)
                .handle((in, out) -> {
                    opened.tryEmitEmpty();
                    in.receiveCloseStatus().subscribe(closeStatus::set);
                    in.receive().asString().subscribe(received::add, e -> ended = true, () -> ended = true);
                    // completing the outbound (close()) makes Reactor Netty send a normal close frame
                    return out.sendString(outbound.asFlux()).then();
                })
                .subscribe(null, e -> {
                    failure.set(e);
                    ended = true;
                }, () -> ended = true);
    }

    /** A page of this app in a browser with the session cookie {@code session}: same Origin, the cookie. */
    static BrowserSocket ofPage(int port, String session) {
        return open(port, h -> h.set("Origin", "http://127.0.0.1:" + port)
                .set("Cookie", BrowserSession.COOKIE + "=" + session));
    }

    static BrowserSocket open(int port, Consumer<HttpHeaders> headers) {
        return new BrowserSocket(port, headers);
    }

    void send(String prompt) {
        sendRaw(JsonMapper.shared().writeValueAsString(java.util.Map.of("prompt", prompt)));
    }

    void sendRaw(String text) {
        outbound.tryEmitNext(text);
    }

    /** The next message received (waits for it). */
    JsonNode next() {
        await().atMost(BOUND).until(() -> received.size() > cursor || ended);
        if (received.size() <= cursor) {
            throw new AssertionError("the socket ended without another message: " + received + ", close "
                    + closeStatus.get() + ", failure " + failure.get());
        }
        return JsonMapper.shared().readTree(received.get(cursor++));
    }

    /** The next message of {@code type}, skipping others. */
    JsonNode next(String type) {
        JsonNode message = next();
        while (!type.equals(message.path("type").asString())) {
            message = next();
        }
        return message;
    }

    /** Every message received so far, as text. */
    List<String> received() {
        return List.copyOf(received);
    }

    /** The close status the app sent (waits for the socket to end). */
    WebSocketCloseStatus closeStatus() {
        await().atMost(BOUND).until(() -> closeStatus.get() != null);
        return closeStatus.get();
    }

    /** The HTTP status the handshake was refused with (waits for the refusal). */
    int refusedWith() {
        await().atMost(BOUND).until(() -> failure.get() != null || closeStatus.get() != null);
        if (!(failure.get() instanceof WebSocketClientHandshakeException refused) || refused.response() == null) {
            throw new AssertionError("the handshake was not refused: " + failure.get() + ", " + received);
        }
        return refused.response().status().code();
    }

    /** Waits until the handshake succeeded. */
    BrowserSocket awaitOpen() {
        opened.asMono().block(BOUND);
        return this;
    }

    boolean ended() {
        return ended;
    }

    /** Closes normally, as a browser leaving the page does. */
    @Override
    public void close() {
        outbound.tryEmitComplete();
        Mono.delay(Duration.ofSeconds(5)).subscribe(x -> connection.dispose());
    }
}
