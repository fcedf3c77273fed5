package dev.falclient.emulator;

import static org.assertj.core.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
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

    record Resp(int status, java.net.http.HttpHeaders headers, String body) {
        JsonNode json() {
            return MAPPER.readTree(body);
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    private Http() {
    }

    static HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15)).header("Authorization", KEY);
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

    /** Reads an event stream to its end; fails if it does not end within the timeout. */
    static List<String> sseLines(HttpRequest request, Duration timeout) {
        try {
            return CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofLines())
                    .thenApply(r -> {
                        if (r.statusCode() != 200
                                || !r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream")) {
                            throw new IllegalStateException("not an event stream: " + r.statusCode());
                        }
                        return r.body().toList();
                    })
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }

    /** The JSON of every {@code data:} line. */
    static List<JsonNode> events(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("data: ")).map(l -> MAPPER.readTree(l.substring(6))).toList();
    }

    static void await(Duration timeout, BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RuntimeException(e);
            }
        }
        fail("condition not met within " + timeout);
    }

    /** Polls a status URL until COMPLETED; returns the last status. */
    static JsonNode awaitCompleted(String statusUrl) {
        JsonNode[] last = new JsonNode[1];
        await(Duration.ofSeconds(10), () -> {
            last[0] = get(statusUrl).json();
            return "COMPLETED".equals(last[0].path("status").asString());
        });
        return last[0];
    }
}
