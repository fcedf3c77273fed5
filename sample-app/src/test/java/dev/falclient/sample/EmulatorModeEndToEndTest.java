package dev.falclient.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.falclient.emulator.FalEmulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sample end to end in emulator mode, through its HTTP API only: submit, watch the SSE events, fetch the
 * result and the PNG, cancel a long-running generation, health.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sample.fal.mode=emulator",
        "sample.demo.enabled=false",
        "sample.emulator.processing-time=300ms",
        "sample.emulator.workers=1"})
@AutoConfigureWebTestClient
class EmulatorModeEndToEndTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final Duration BOUND = Duration.ofSeconds(20);

    @Autowired
    WebTestClient web;

    @Autowired
    FalEmulator emulator;

    @Autowired
    SampleProperties properties;

    /** A loaded CI machine can be slower than WebTestClient's default 5 s per exchange. */
    @BeforeEach
    void patientClient() {
        web = web.mutate().responseTimeout(Duration.ofSeconds(30)).build();
    }

    @Test
    void generatesAnImageAndStreamsItsLifecycle() throws Exception {
        String id = submit("a red fox in the snow");

        List<ServerSentEvent<String>> events = events(id);
        List<String> types = events.stream().map(ServerSentEvent::event).toList();
        assertThat(types).first().isEqualTo("submitted");
        assertThat(types).contains("in-progress", "log", "completed").last().isEqualTo("result");
        assertThat(types).doesNotContain("failed", "cancelled");
        assertThat(events).extracting(ServerSentEvent::id).doesNotContainNull().doesNotHaveDuplicates();

        JsonNode resultEvent = JSON.readTree(events.get(events.size() - 1).data());
        String imageUrl = resultEvent.path("imageUrl").asString();
        assertThat(imageUrl).startsWith(emulator.cdnUrl()).endsWith(".png");
        List<String> logLines = events.stream().filter(e -> "log".equals(e.event()))
                .flatMap(e -> JSON.readTree(e.data()).path("logs").valueStream())
                .map(l -> l.path("message").asString()).toList();
        assertThat(logLines).containsExactlyElementsOf(properties.emulator().logLines());

        web.get().uri("/generations/{id}", id).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.kind").isEqualTo("completed")
                .jsonPath("$.status").isEqualTo("COMPLETED")
                .jsonPath("$.failed").isEqualTo(false)
                .jsonPath("$.inferenceTime").isNumber();

        web.get().uri("/generations/{id}/result", id).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.images[0].url").isEqualTo(imageUrl)
                .jsonPath("$.prompt").isEqualTo("a red fox in the snow");

        HttpResponse<byte[]> png = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(imageUrl)).timeout(BOUND).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(png.statusCode()).isEqualTo(200);
        assertThat(png.headers().firstValue("content-type")).hasValue("image/png");
        assertThat(Arrays.copyOf(png.body(), 8)).isEqualTo(PNG_SIGNATURE);

        // the starter's Micrometer meters are exposed through the actuator
        web.get().uri("/actuator/metrics/fal.requests.completed").exchange()
                .expectStatus().isOk();

        // a late subscriber gets the same replay, and the stream still completes
        assertThat(events(id)).extracting(ServerSentEvent::event).isEqualTo(types);
        // Last-Event-ID skips what the browser already saw
        assertThat(events(id, "3")).extracting(ServerSentEvent::id).first().isEqualTo("4");
    }

    @Test
    void queuePositionsCountDownBehindOtherRequests() throws Exception {
        // long enough that the third request is seen waiting even on a slow machine
        emulator.endpoint(properties.endpointId()).processingTime(Duration.ofSeconds(1));
        String first;
        String second;
        String third;
        try {
            first = submit("first");
            second = submit("second");
            third = submit("third");
        } finally {
            emulator.endpoint(properties.endpointId()).processingTime(properties.emulator().processingTime());
        }

        List<JsonNode> queued = events(third).stream().filter(e -> "queued".equals(e.event()))
                .map(e -> JSON.readTree(e.data())).toList();
        assertThat(queued).isNotEmpty();
        assertThat(queued).extracting(q -> q.path("position").asInt()).isSortedAccordingTo((a, b) -> b - a);
        assertThat(events(first)).extracting(ServerSentEvent::event).last().isEqualTo("result");
        assertThat(events(second)).extracting(ServerSentEvent::event).last().isEqualTo("result");
    }

    @Test
    void cancelsALongRunningGeneration() {
        emulator.endpoint(properties.endpointId()).processingTime(Duration.ofSeconds(30));
        String id;
        try {
            id = submit("a very slow painting");
        } finally {
            emulator.endpoint(properties.endpointId()).processingTime(properties.emulator().processingTime());
        }
        awaitKind(id, "in-progress");

        web.delete().uri("/generations/{id}", id).exchange()
                .expectStatus().isAccepted()
                .expectBody()
                .jsonPath("$.status").isEqualTo("CANCELLATION_REQUESTED");

        List<String> types = events(id).stream().map(ServerSentEvent::event).toList();
        assertThat(types).contains("in-progress").last().isEqualTo("cancelled");
        assertThat(types).doesNotContain("result");

        web.get().uri("/generations/{id}", id).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.kind").isEqualTo("completed")
                .jsonPath("$.cancelled").isEqualTo(true)
                .jsonPath("$.errorType").isEqualTo("client_cancelled");
        web.get().uri("/generations/{id}/result", id).exchange()
                .expectStatus().isEqualTo(409)
                .expectBody()
                .jsonPath("$.detail").value(d -> assertThat((String) d).contains("cancelled"));
    }

    @Test
    void resultOfARunningGenerationIsAConflict() {
        emulator.endpoint(properties.endpointId()).processingTime(Duration.ofSeconds(5));
        String id;
        try {
            id = submit("not yet");
        } finally {
            emulator.endpoint(properties.endpointId()).processingTime(properties.emulator().processingTime());
        }
        web.get().uri("/generations/{id}/result", id).exchange()
                .expectStatus().isEqualTo(409)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.title").isEqualTo("Generation has no result")
                .jsonPath("$.generation.kind").value(k -> assertThat(k).isIn("queued", "in-progress"));
        web.delete().uri("/generations/{id}", id).exchange().expectStatus().isAccepted();
    }

    @Test
    void rejectsBadInputAndUnknownIds() {
        web.post().uri("/generations").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"prompt\": \"  \"}")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.detail").isEqualTo("'prompt' must not be blank");
        web.post().uri("/generations").contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                .exchange()
                .expectStatus().isBadRequest();
        web.post().uri("/generations").contentType(MediaType.APPLICATION_JSON).bodyValue("{not json")
                .exchange()
                .expectStatus().isBadRequest();

        String unknown = "00000000-0000-0000-0000-000000000000";
        web.get().uri("/generations/{id}", unknown).exchange()
                .expectStatus().isNotFound()
                .expectBody()
                .jsonPath("$.detail").isEqualTo("fal does not know generation " + unknown);
        web.get().uri("/generations/{id}/result", unknown).exchange().expectStatus().isNotFound();
        web.delete().uri("/generations/{id}", unknown).exchange().expectStatus().isNotFound();
        web.get().uri("/generations/{id}/events", unknown).accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail").value(d -> assertThat((String) d).contains("finished more than 10m ago"));
        web.get().uri("/generations/{id}", "bad id!").exchange().expectStatus().isNotFound();
    }

    @Test
    void healthModeAndPage() {
        web.get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.fal.status").isEqualTo("UP");
        web.get().uri("/mode").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.mode").isEqualTo("emulator")
                .jsonPath("$.queueUrl").isEqualTo(emulator.queueUrl());
        web.get().uri("/actuator/info").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.fal.mode").isEqualTo("emulator");
        web.get().uri("/").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(html -> assertThat(html).contains("EventSource"));
    }

    private String submit(String prompt) {
        return web.post().uri("/generations")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"prompt\": " + JSON.writeValueAsString(prompt) + "}")
                .exchange()
                .expectStatus().isAccepted()
                .expectHeader().exists("Location")
                .expectBody(JsonNode.class)
                .value(body -> assertThat(body.path("endpointId").asString()).isEqualTo(properties.endpointId()))
                .returnResult().getResponseBody().path("requestId").asString();
    }

    private List<ServerSentEvent<String>> events(String id) {
        return events(id, null);
    }

    private List<ServerSentEvent<String>> events(String id, String lastEventId) {
        return web.mutate().responseTimeout(BOUND).build()
                .get().uri("/generations/{id}/events", id)
                .accept(MediaType.TEXT_EVENT_STREAM)
                .headers(h -> {
                    if (lastEventId != null) {
                        h.set("Last-Event-ID", lastEventId);
                    }
                })
                .exchange()
                .expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {
                })
                .getResponseBody()
                .filter(e -> e.event() != null) // keep-alive comments
                .collectList()
                .block(BOUND);
    }

    private void awaitKind(String id, String kind) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode status = web.get().uri("/generations/{id}", id).exchange()
                    .expectStatus().isOk()
                    .expectBody(JsonNode.class).returnResult().getResponseBody();
            if (kind.equals(status.path("kind").asString())) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("generation " + id + " did not become " + kind + " within " + BOUND);
    }
}
