package dev.falclient.test.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.falclient.emulator.FalEmulator;
import dev.falclient.webhook.FalWebhook;
import dev.falclient.webhook.FalWebhookVerificationException;
import dev.falclient.webhook.FalWebhookVerificationException.Reason;
import dev.falclient.webhook.FalWebhookVerifier;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The standalone verifier, in a plain JDK HTTP server, accepts the emulator's deliveries and refuses its faults. */
class EmulatorDeliveriesVerifiedTests {

    private final List<Object> outcomes = new CopyOnWriteArrayList<>();
    private FalEmulator emu;
    private HttpServer server;
    private FalWebhookVerifier verifier;

    @BeforeEach
    void start() throws IOException {
        emu = FalEmulator.builder().deliverWebhooks(true).processingTime(Duration.ofMillis(20)).start();
        emu.webhookSender().retries(0, Duration.ofMillis(10));
        verifier = FalWebhookVerifier.builder().jwksUrl(emu.jwksUrl()).build();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.get(0)));
            int status;
            try {
                outcomes.add(verifier.verify(headers, exchange.getRequestBody().readAllBytes()));
                status = 204;
            } catch (FalWebhookVerificationException e) {
                outcomes.add(e.reason());
                status = 401;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        emu.close();
    }

    private String submit() throws Exception {
        String hook = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(emu.queueUrl()
                        + "/fal-ai/x?fal_webhook=" + URLEncoder.encode(hook, StandardCharsets.UTF_8)))
                .header("Authorization", "Key k").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"p\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.body().replaceAll(".*\"request_id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    }

    private Object next() {
        await().atMost(Duration.ofSeconds(20)).until(() -> !outcomes.isEmpty());
        return outcomes.remove(0);
    }

    @Test
    void signedDeliveryIsVerified() throws Exception {
        String requestId = submit();
        assertThat(next()).isInstanceOfSatisfying(FalWebhook.class, w -> {
            assertThat(w.requestId()).isEqualTo(requestId);
            assertThat(w.ok()).isTrue();
            assertThat(w.payload().path("prompt").asString()).isEqualTo("p");
        });
    }

    @Test
    void badSignatureAndStaleTimestampAreRefused() throws Exception {
        emu.webhookSender().fault().badSignature();
        submit();
        assertThat(next()).isEqualTo(Reason.BAD_SIGNATURE);

        emu.webhookSender().fault().timestampOffset(Duration.ofMinutes(-6));
        submit();
        assertThat(next()).isEqualTo(Reason.STALE_TIMESTAMP);
    }

    @Test
    void rotatedKeyIsPickedUpByOneRefetch() throws Exception {
        submit();
        assertThat(next()).isInstanceOf(FalWebhook.class);
        emu.webhookSender().rotateKey();
        submit();
        assertThat(next()).isInstanceOf(FalWebhook.class);
    }
}
