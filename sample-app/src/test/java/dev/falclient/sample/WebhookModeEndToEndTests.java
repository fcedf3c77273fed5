package dev.falclient.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.falclient.emulator.CallKind;
import dev.falclient.emulator.FalEmulator;
import dev.falclient.emulator.RecordedRequest;
import dev.falclient.emulator.WebhookAttempt;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * Webhook completion mode ({@code webhook} profile): nothing is watched; the emulator POSTs each outcome, signed,
 * to the sample's own receiver ({@code fal.webhook.url} pointed at itself), which publishes the events.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT, properties = {
        "sample.fal.mode=emulator",
        "sample.demo.enabled=false",
        "sample.emulator.processing-time=200ms"})
@ActiveProfiles("webhook")
class WebhookModeEndToEndTests {

    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final int PORT = freePort();

    @DynamicPropertySource
    static void port(DynamicPropertyRegistry registry) {
        registry.add("server.port", () -> PORT);
    }

    @Autowired
    FalEmulator emulator;

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void completionArrivesByWebhookWithoutWatching() {
        WebTestClient web = OneConnectionPerExchange.webTestClient(PORT);
        String id = web.post().uri("/generations").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"prompt\": \"a heron\"}").exchange()
                .expectStatus().isAccepted()
                .expectBody(JsonNode.class).returnResult().getResponseBody().path("requestId").asString();

        List<String> types = web.mutate().responseTimeout(BOUND).build()
                .get().uri("/generations/{id}/events", id).accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {
                })
                .getResponseBody().filter(e -> e.event() != null).map(ServerSentEvent::event)
                .collectList().block(BOUND);

        assertThat(types).containsExactly("submitted", "completed", "result");
        await().atMost(BOUND).untilAsserted(() -> assertThat(emulator.webhookSender().attempts())
                .filteredOn(a -> a.requestId().equals(id)).extracting(WebhookAttempt::status).containsExactly(200));
        assertThat(emulator.requests(CallKind.STATUS)).extracting(RecordedRequest::requestId).doesNotContain(id);
        assertThat(emulator.requests(CallKind.STATUS_STREAM)).extracting(RecordedRequest::requestId)
                .doesNotContain(id);
        assertThat(emulator.webhooks()).singleElement()
                .satisfies(w -> assertThat(w.url()).isEqualTo("http://localhost:" + PORT + "/fal/webhook"));
    }
}
