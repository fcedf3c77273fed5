package dev.falclient.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * The starter's read-only {@code /actuator/fal} in the running sample, once exposed (it is not by default:
 * {@link SampleSecurityTests}), lists the running generation and never the key.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sample.fal.mode=emulator",
        "sample.demo.enabled=false",
        "sample.emulator.processing-time=1h",
        "management.endpoints.web.exposure.include=health,fal"})
class ActuatorEndpointTests {

    @LocalServerPort
    int port;

    @Test
    void listsTheRunningGenerationAndTheKeySourceButNotTheKey() {
        WebTestClient web = OneConnectionPerExchange.webTestClient(port);
        String id = web.post().uri("/generations").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"prompt\": \"watched\"}").exchange()
                .expectStatus().isAccepted()
                .expectBody(JsonNode.class).returnResult().getResponseBody().path("requestId").asString();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> web.get().uri("/actuator/fal").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.requests[0].requestId").isEqualTo(id)
                .jsonPath("$.requests[0].endpointId").isEqualTo("fal-ai/fast-sdxl")
                .jsonPath("$.requests[0].tracked").isEqualTo(true)
                .jsonPath("$.requests[0].status").isEqualTo("IN_PROGRESS")
                .jsonPath("$.requests[0].since").isNotEmpty()
                .jsonPath("$.inFlightCount").isEqualTo(1)
                .jsonPath("$.credential.source").isEqualTo("emulator")
                .jsonPath("$.calls.succeeded").isNumber());
        String json = web.get().uri("/actuator/fal").exchange().expectBody(String.class).returnResult()
                .getResponseBody();
        assertThat(json).doesNotContain(EmulatorConfiguration.EMULATOR_KEY);
        web.delete().uri("/generations/{id}", id).exchange().expectStatus().isAccepted();
    }
}
