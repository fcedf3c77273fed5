package dev.falclient.emulator;

import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;
import tools.jackson.databind.JsonNode;

/**
 * A JDK WebSocket client for the realtime tests: frames received (text as JSON, binary as msgpack {@link Value}s) and
 * the close status (1006 when the connection was lost without a close frame).
 */
final class Ws implements WebSocket.Listener {

    /** A frame received: {@code text} for a text frame, else {@code binary}. */
    record Frame(String text, Value binary) {
        boolean isText() {
            return text != null;
        }

        JsonNode json() {
            return Http.MAPPER.readTree(text);
        }

        boolean isTimings() {
            return isText() && json().path("type").asString().equals("x-fal-message");
        }
    }

    /** The answer to a handshake that was refused. */
    record Refused(int status, JsonNode body) {
    }

    final List<Frame> frames = new CopyOnWriteArrayList<>();
    final CompletableFuture<Integer> closeStatus = new CompletableFuture<>();
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
    private WebSocket socket;

    private Ws() {
    }

    /** Connects to {@code url} (http or ws), with {@code Authorization} when {@code key} is not null. */
    static Ws connect(String url, String key) {
        Ws ws = new Ws();
        WebSocket.Builder b = Http.CLIENT.newWebSocketBuilder();
        if (key != null) {
            b.header("Authorization", key);
        }
        ws.socket = b.buildAsync(URI.create(url.replaceFirst("^http", "ws")), ws)
                .orTimeout(Http.PATIENCE.toMillis(), TimeUnit.MILLISECONDS).join();
        return ws;
    }

    static Ws connect(String url) {
        return connect(url, null);
    }

    /** The status with which the JDK client's handshake is refused (fails if it is not). */
    static int refusedStatus(String url) {
        try {
            connect(url).close(1000);
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof java.net.http.WebSocketHandshakeException h) {
                return h.getResponse().statusCode();
            }
            throw e;
        }
        throw new AssertionError("the handshake was accepted: " + url);
    }

    /** Sends a handshake on a plain socket and reads the answer: status and JSON body (the upgrade refused). */
    static Refused refused(String url, Map<String, String> headers) throws IOException {
        URI uri = URI.create(url);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout((int) Http.PATIENCE.toMillis());
            StringBuilder head = new StringBuilder("GET " + uri.getRawPath()
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()) + " HTTP/1.1\r\n"
                    + "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            OutputStream out = socket.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String status = line(in);
            int length = 0;
            for (String h = line(in); !h.isEmpty(); h = line(in)) {
                if (h.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(h.substring(15).trim());
                }
            }
            String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            return new Refused(Integer.parseInt(status.split(" ")[1]), Http.MAPPER.readTree(body));
        }
    }

    static byte[] msgpack(Map<String, Object> map) {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packMapHeader(map.size());
            for (Map.Entry<String, Object> e : map.entrySet()) {
                p.packString(e.getKey());
                Object v = e.getValue();
                if (v instanceof String s) {
                    p.packString(s);
                } else if (v instanceof byte[] b) {
                    p.packBinaryHeader(b.length).writePayload(b);
                } else if (v instanceof Integer i) {
                    p.packInt(i);
                } else {
                    throw new IllegalArgumentException("not supported here: " + v);
                }
            }
            return p.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    Ws send(byte[] msgpack) {
        socket.sendBinary(ByteBuffer.wrap(msgpack), true).orTimeout(5, TimeUnit.SECONDS).join();
        return this;
    }

    Ws sendText(String json) {
        socket.sendText(json, true).orTimeout(5, TimeUnit.SECONDS).join();
        return this;
    }

    void close(int status) {
        socket.sendClose(status, "bye").orTimeout(5, TimeUnit.SECONDS).join();
    }

    /** Frames other than timings messages. */
    List<Frame> outputs() {
        return frames.stream().filter(f -> !f.isTimings()).toList();
    }

    Ws awaitOutputs(int n) {
        await().atMost(Http.PATIENCE).until(() -> outputs().size() >= n);
        return this;
    }

    int awaitClose() {
        return closeStatus.orTimeout(Http.PATIENCE.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            frames.add(new Frame(text.toString(), null));
            text.setLength(0);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        binary.writeBytes(chunk);
        if (last) {
            try (MessageUnpacker u = MessagePack.newDefaultUnpacker(binary.toByteArray())) {
                frames.add(new Frame(null, u.unpackValue()));
            } catch (IOException e) {
                throw new IllegalStateException("not msgpack", e);
            }
            binary.reset();
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeStatus.complete(statusCode);
        return null;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
            line.append((char) c);
        }
        return line.toString().trim();
    }
}
