package dev.falclient.emulator;

import static dev.falclient.emulator.Http.awaitCompleted;
import static dev.falclient.emulator.Http.get;
import static dev.falclient.emulator.Http.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class RecordingAndLifecycleTests {

    @Test
    void recordsEveryCall() {
        try (FalEmulator emu = FalEmulator.builder().processingTime(Duration.ofMillis(20)).start()) {
            JsonNode sub = Http.send(Http.request(emu.queueUrl() + "/fal-ai/flux/dev?fal_webhook=x")
                    .header("X-Fal-Queue-Priority", "low").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"p\"}")).build()).json();
            String id = sub.path("request_id").asString();
            get(sub.path("status_url").asString() + "?logs=1");
            get(emu.restUrl() + "/keys/");

            List<RecordedRequest> all = emu.requests();
            assertThat(all).extracting(RecordedRequest::kind)
                    .containsExactly(CallKind.SUBMIT, CallKind.STATUS, CallKind.OTHER);
            RecordedRequest s = all.get(0);
            assertThat(s.method()).isEqualTo("POST");
            assertThat(s.path()).isEqualTo("/queue/fal-ai/flux/dev");
            assertThat(s.endpointId()).isEqualTo("fal-ai/flux/dev");
            assertThat(s.requestId()).isEqualTo(id);
            assertThat(s.header("x-fal-queue-priority")).isEqualTo("low");
            assertThat(s.header("AUTHORIZATION")).isEqualTo(Http.KEY);
            assertThat(s.queryParam("fal_webhook")).isEqualTo("x");
            assertThat(s.body()).isEqualTo("{\"prompt\":\"p\"}");
            assertThat(s.time()).isNotNull();
            RecordedRequest st = all.get(1);
            assertThat(st.endpointId()).isEqualTo("fal-ai/flux");
            assertThat(st.requestId()).isEqualTo(id);
            assertThat(st.queryParam("logs")).isEqualTo("1");
            assertThat(emu.requests(CallKind.STATUS)).hasSize(1);
            assertThat(get(emu.restUrl() + "/keys/").status()).isEqualTo(404);

            emu.clearRequests();
            assertThat(emu.requests()).isEmpty();
            assertThat(emu.webhooks()).isEmpty();
        }
    }

    @Test
    void recordingIsBounded() {
        try (FalEmulator emu = FalEmulator.builder().maxRecordedRequests(3).start()) {
            for (int i = 0; i < 5; i++) {
                get(emu.queueUrl() + "/fal-ai/x/requests/" + i + "/status");
            }
            assertThat(emu.requests()).extracting(RecordedRequest::requestId).containsExactly("2", "3", "4");
        }
    }

    @Test
    void recordingIsBoundedByBytesOldestFirst() {
        try (FalEmulator emu = FalEmulator.builder().maxRecordedBytes(10_000).start()) {
            String url = emu.queueUrl() + "/fal-ai/x";
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) { // three bodies of 4 KB: together above the cap, any two below it
                ids.add(post(url, "{\"prompt\":\"" + String.valueOf(i).repeat(4000) + "\"}").json()
                        .path("request_id").asString());
            }
            assertThat(emu.requests()).extracting(RecordedRequest::requestId).containsExactly(ids.get(1), ids.get(2));

            // the newest call stays even when it alone is larger than the cap
            String big = post(url, "{\"prompt\":\"" + "b".repeat(20_000) + "\"}").json().path("request_id").asString();
            assertThat(emu.requests()).singleElement().satisfies(r -> {
                assertThat(r.requestId()).isEqualTo(big);
                assertThat(r.body()).hasSizeGreaterThan(20_000);
            });
        }
    }

    @Test
    void webhooksCanBeDelivered() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try (FalEmulator emu = FalEmulator.builder().deliverWebhooks(true).processingTime(Duration.ofMillis(20))
                .start()) {
            String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            JsonNode sub = post(emu.queueUrl() + "/fal-ai/x?fal_webhook=" + URLEncoder.encode(hook,
                    StandardCharsets.UTF_8), "{\"prompt\":\"w\"}").json();
            await().atMost(Http.PATIENCE).until(() -> !received.isEmpty());
            JsonNode payload = Http.MAPPER.readTree(received.get(0));
            assertThat(payload.path("request_id").asString()).isEqualTo(sub.path("request_id").asString());
            assertThat(payload.path("gateway_request_id").asString()).isEqualTo(sub.path("request_id").asString());
            assertThat(payload.path("status").asString()).isEqualTo("OK");
            assertThat(payload.path("payload").path("prompt").asString()).isEqualTo("w");
            // once: no retry, no second delivery
            await().during(Duration.ofMillis(300)).atMost(Http.PATIENCE).until(() -> received.size() == 1);
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void resetClearsQueuesAndCloseIsIdempotent() {
        FalEmulator emu = FalEmulator.builder().workers(1).processingTime(Duration.ofSeconds(30)).start();
        EndpointScript script = emu.endpoint("fal-ai/x").processingTime(Duration.ofSeconds(30));
        JsonNode sub = post(emu.queueUrl() + "/fal-ai/x", "{}").json();
        emu.reset();
        assertThat(get(sub.path("status_url").asString()).status()).isEqualTo(404);
        assertThat(emu.requests()).hasSize(1);
        // the script object stays attached after reset
        script.processingTime(Duration.ofMillis(10));
        JsonNode again = post(emu.queueUrl() + "/fal-ai/x", "{}").json();
        awaitCompleted(again.path("status_url").asString());

        String url = emu.queueUrl();
        emu.close();
        emu.close();
        assertThatThrownBy(() -> post(url + "/fal-ai/x", "{}")).isInstanceOf(RuntimeException.class);
    }

    @Test
    void endpointScriptsAreSharedBySubPaths() {
        try (FalEmulator emu = FalEmulator.start()) {
            assertThat(emu.endpoint("fal-ai/flux/dev")).isSameAs(emu.endpoint("fal-ai/flux"));
            assertThat(emu.endpoint("workflows/a/b/c")).isSameAs(emu.endpoint("workflows/a/b"));
            assertThat(emu.endpoint("workflows/a/b")).isNotSameAs(emu.endpoint("a/b"));
            assertThatThrownBy(() -> emu.endpoint("nonsense")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void concurrentSubmitsAllComplete() {
        try (FalEmulator emu = FalEmulator.builder().workers(100).processingTime(Duration.ofMillis(30))
                .logLines(2).start()) {
            int n = 200; // one connection each: well inside a 1,024 file-descriptor limit
            List<CompletableFuture<Http.Resp>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(Http.sendAsync(Http.request(emu.queueUrl() + "/fal-ai/load")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"" + i + "\"}")).build()));
            }
            List<String> statusUrls = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            for (CompletableFuture<Http.Resp> f : futures) {
                Http.Resp r = f.join();
                assertThat(r.status()).isEqualTo(200);
                statusUrls.add(r.json().path("status_url").asString());
                ids.add(r.json().path("request_id").asString());
            }
            assertThat(ids).hasSize(n);
            Set<String> pending = ConcurrentHashMap.newKeySet();
            pending.addAll(statusUrls);
            await().atMost(Http.PATIENCE).until(() -> {
                List<CompletableFuture<Void>> polls = pending.stream()
                        .map(u -> Http.sendAsync(Http.request(u).GET().build()).thenAccept(r -> {
                            if (r.status() == 200) {
                                pending.remove(u);
                            }
                        }))
                        .toList();
                CompletableFuture.allOf(polls.toArray(CompletableFuture[]::new)).join();
                return pending.isEmpty();
            });
            assertThat(emu.requests(CallKind.SUBMIT)).hasSize(n);
        }
    }

    @Test
    void mainLaunchesOnTheGivenPort() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (FalEmulator emu = FalEmulatorMain.launch("--port", Integer.toString(port), "--key", "test-key",
                "--processing-time", "50ms", "--workers", "3")) {
            assertThat(emu.port()).isEqualTo(port);
            assertThat(emu.queueUrl()).isEqualTo("http://127.0.0.1:" + port + "/queue");
            JsonNode sub = post(emu.queueUrl() + "/fal-ai/x", "{}").json();
            assertThat(awaitCompleted(sub.path("status_url").asString()).path("metrics").path("inference_time")
                    .asDouble()).isGreaterThanOrEqualTo(0.04);
        }
        assertThat(FalEmulatorMain.parseDuration("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(FalEmulatorMain.parseDuration("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(FalEmulatorMain.parseDuration("PT1M")).isEqualTo(Duration.ofMinutes(1));
        assertThatThrownBy(() -> FalEmulatorMain.launch("--bogus", "1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void startsOnAFreeLoopbackPortAndCloseReleasesIt() {
        FalEmulator emu = FalEmulator.start();
        int port = emu.port();
        assertThat(port).isPositive();
        assertThat(emu.baseUrl()).isEqualTo("http://127.0.0.1:" + port);
        assertThat(post(emu.queueUrl() + "/fal-ai/x", "{}").status()).isEqualTo(200);
        emu.close();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(IOException.class);
    }
}
