package dev.falclient.emulator;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Tiny JDK-HttpClient helpers for the emulator tests. */
final class Http {

    static final String KEY = "Key test-key";
    static final JsonMapper MAPPER = JsonMapper.builder().build();
    static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    /** Generous: a loaded two-core machine is slow, and a passing test never waits this long. */
    static final Duration PATIENCE = Duration.ofSeconds(20);

    record Resp(int status, java.net.http.HttpHeaders headers, String body) {
        JsonNode json() {
            return MAPPER.readTree(body);
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    /** An event stream being read: its lines so far, and the end of the stream. */
    record OpenStream(List<String> lines, CompletableFuture<Void> done) {
        List<JsonNode> events() {
            return Http.events(lines);
        }

        /** Waits until the stream has sent at least {@code n} events. */
        OpenStream awaitEvents(int n) {
            await().atMost(PATIENCE).until(() -> events().size() >= n);
            return this;
        }

        /** Waits for the server to close the stream; returns all its lines. */
        List<String> awaitEnd() {
            done.orTimeout(PATIENCE.toMillis(), TimeUnit.MILLISECONDS).join();
            return List.copyOf(lines);
        }
    }

    private Http() {
    }

    static HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(PATIENCE).header("Authorization", KEY);
    }

    static Resp send(HttpRequest request) {
        try {
            HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            return new Resp(r.statusCode(), r.headers(), r.body());
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }

    static CompletableFuture<Resp> sendAsync(HttpRequest request) {
        return CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> new Resp(r.statusCode(), r.headers(), r.body()));
    }

    static Resp get(String url) {
        return send(request(url).GET().build());
    }

    static Resp post(String url, String json) {
        return send(request(url).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    static Resp put(String url) {
        return send(request(url).PUT(HttpRequest.BodyPublishers.noBody()).build());
    }

    /** Opens an event stream and collects its lines as they arrive, so a test can act while it is open. */
    static OpenStream open(HttpRequest request) {
        List<String> lines = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> done = CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofLines())
                .thenAccept(r -> {
                    if (r.statusCode() != 200
                            || !r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream")) {
                        throw new IllegalStateException("not an event stream: " + r.statusCode());
                    }
                    r.body().forEach(lines::add);
                });
        return new OpenStream(lines, done);
    }

    /** Reads an event stream to its end; fails if it does not end in time. */
    static List<String> sseLines(HttpRequest request) {
        return open(request).awaitEnd();
    }

    /** The JSON of every {@code data:} line. */
    static List<JsonNode> events(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("data: ")).map(l -> MAPPER.readTree(l.substring(6))).toList();
    }

    /** Polls a status URL until COMPLETED; returns the last status. */
    static JsonNode awaitCompleted(String statusUrl) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20)).until(() -> {
            last.set(get(statusUrl).json());
            return "COMPLETED".equals(last.get().path("status").asString());
        });
        return last.get();
    }

    /** The status field of a status poll. */
    static String state(String statusUrl) {
        return get(statusUrl).json().path("status").asString();
    }

    /**
     * Sends a request head and {@code body} on a plain socket, without sending more than that, and returns the
     * status line of the answer: proves what the server answers before it has the whole body.
     */
    static String rawStatusLine(URI uri, String head, byte[] body) throws IOException {
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout((int) PATIENCE.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
                line.append((char) c);
            }
            return line.toString().trim();
        }
    }
}
