package dev.falclient.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.falclient.AsyncFalClient;
import dev.falclient.emulator.CallKind;
import dev.falclient.emulator.FalEmulator;
import dev.falclient.emulator.Traffic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * Bounded load: too many generations answer 429 (per browser) or 503 (whole app) with {@code Retry-After}, never
 * 502; and the generations that do run cost fal a bounded number of status calls, measured with the emulator's
 * traffic counters. Only 10 status streams are allowed here, so 20 of the 30 generations poll, at the sample's
 * {@code fal.poll-interval} of 2 s: about 10 polls a second (the client's default 500 ms would make 40).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sample.fal.mode=emulator",
        "sample.demo.enabled=false",
        "sample.emulator.processing-time=1h",
        "sample.emulator.workers=1",
        "sample.limits.max-active=30",
        "sample.limits.max-active-per-session=15",
        "sample.limits.retry-after=7s",
        "fal.pool.max-status-streams=10"})
class LimitsAndLoadTests {

    private static final Duration WINDOW = Duration.ofSeconds(4);

    @LocalServerPort
    int port;

    @Autowired
    FalEmulator emulator;

    @Autowired
    AsyncFalClient fal;

    @Test
    void fullAppAndFullSessionAnswerWithRetryAfterAndTheStatusLoadStaysBounded() {
        WebTestClient first = OneConnectionPerExchange.webTestClient(port);
        WebTestClient second = OneConnectionPerExchange.webTestClient(port);
        List<String> firstIds = new ArrayList<>();
        List<String> secondIds = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            firstIds.add(submit(first, "first " + i));
        }
        first.post().uri("/generations").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"prompt\": \"more\"}")
                .exchange()
                .expectStatus().isEqualTo(429)
                .expectHeader().valueEquals("Retry-After", "7");
        for (int i = 0; i < 15; i++) {
            secondIds.add(submit(second, "second " + i));
        }
        OneConnectionPerExchange.webTestClient(port).post().uri("/generations")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"prompt\": \"one too many\"}")
                .exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals("Retry-After", "7")
                .expectBody().jsonPath("$.title").isEqualTo("Busy");
        assertThat(emulator.requests(CallKind.SUBMIT)).hasSize(30);

        await().atMost(Duration.ofSeconds(20)).until(() -> fal.inFlight().size() == 30);
        Traffic before = emulator.traffic();
        await().pollDelay(WINDOW).atMost(WINDOW.plusSeconds(1)).until(() -> true);
        Traffic during = emulator.traffic().minus(before);
        // 20 polling generations every 2 s over the window, plus one poll each at its start: 60 at most
        assertThat(during.calls(CallKind.STATUS)).as("status polls in %s", WINDOW).isLessThanOrEqualTo(60);
        assertThat(during.calls(CallKind.STATUS_STREAM)).as("status streams reopened").isLessThanOrEqualTo(10);

        firstIds.forEach(id -> first.delete().uri("/generations/{id}", id).exchange().expectStatus().isAccepted());
        secondIds.forEach(id -> second.delete().uri("/generations/{id}", id).exchange().expectStatus().isAccepted());
    }

    private static String submit(WebTestClient client, String prompt) {
        JsonNode body = client.post().uri("/generations").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"prompt\": \"" + prompt + "\"}").exchange()
                .expectStatus().isAccepted()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        return body.path("requestId").asString();
    }
}
