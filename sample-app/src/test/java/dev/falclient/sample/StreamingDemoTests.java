package dev.falclient.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.falclient.emulator.CallKind;
import dev.falclient.emulator.FalEmulator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The streaming demo in emulator mode: {@code GET /streams} relays the partial outputs live, then "done". */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sample.fal.mode=emulator",
        "sample.demo.enabled=false",
        "sample.streaming.emulator-partials=4",
        "sample.streaming.emulator-interval=20ms"})
class StreamingDemoTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
    };

    @LocalServerPort
    int port;

    WebTestClient web;

    @Autowired
    FalEmulator emulator;

    @Autowired
    StreamingProperties properties;

    @BeforeEach
    void client() {
        web = OneConnectionPerExchange.webTestClient(port);
    }

    @Test
    void relaysEachPartialOutputInOrderThenTheFinalOneThenDone() {
        List<ServerSentEvent<String>> events = stream("a lighthouse keeper");
        assertThat(events).extracting(ServerSentEvent::event)
                .containsExactly("partial", "partial", "partial", "partial", "partial", "done");
        List<JsonNode> partials = events.subList(0, 5).stream().map(e -> JSON.readTree(e.data())).toList();
        // each partial output holds more of the text; the last is the final output
        for (int i = 1; i < partials.size(); i++) {
            assertThat(partials.get(i).path("output").asString()).startsWith(partials.get(i - 1).path("output")
                    .asString()).hasSizeGreaterThan(partials.get(i - 1).path("output").asString().length());
        }
        assertThat(partials.get(4).path("partial").asBoolean()).isFalse();
        assertThat(partials.get(4).path("output").asString()).contains("a lighthouse keeper");
        assertThat(emulator.requests(CallKind.STREAM)).last()
                .satisfies(r -> assertThat(r.endpointId()).isEqualTo(properties.endpointId()));
    }

    @Test
    void aFailureInTheMiddleOfTheStreamEndsWithAFailedEventWithAReferenceButNotFalsDetail() {
        emulator.endpoint(properties.endpointId()).streamFailure(2, "CUDA out of memory", "runner_server_error");
        try {
            List<ServerSentEvent<String>> events = stream("a doomed story");
            assertThat(events).extracting(ServerSentEvent::event).containsExactly("partial", "partial", "failed");
            JsonNode failed = JSON.readTree(events.get(2).data());
            String reference = failed.path("reference").asString();
            assertThat(reference).isNotBlank();
            assertThat(failed.path("message").asString()).contains(reference).doesNotContain("CUDA")
                    .doesNotContain("http");
            assertThat(failed.has("falStatus")).isFalse();
        } finally {
            emulator.endpoint(properties.endpointId()).reset();
            StreamingEmulatorScript.script(emulator, properties);
        }
    }

    @Test
    void aBlankPromptIsABadRequest() {
        web.post().uri("/streams").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"prompt\": \"\"}")
                .accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isBadRequest();
    }

    @Test
    void aGetNeverStartsAPaidStream() {
        int before = emulator.requests(CallKind.STREAM).size();
        web.get().uri("/streams?prompt=free").accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().value(status -> assertThat(status).isIn(404, 405));
        assertThat(emulator.requests(CallKind.STREAM)).hasSize(before);
    }

    private List<ServerSentEvent<String>> stream(String prompt) {
        return web.post().uri("/streams").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(JSON.createObjectNode().put("prompt", prompt).toString())
                .accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isOk()
                .returnResult(SSE).getResponseBody().collectList().block(Duration.ofSeconds(20));
    }
}
