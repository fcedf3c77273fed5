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
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
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
class EmulatorModeEndToEndTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final Duration BOUND = Duration.ofSeconds(20);

    @LocalServerPort
    int port;

    WebTestClient web;

    @Autowired
    FalEmulator emulator;

    @Autowired
    SampleProperties properties;

    @BeforeEach
    void client() {
        web = OneConnectionPerExchange.webTestClient(port);
    }

    @Test
    void generatesAnImageAndStreamsItsLifecycle() throws Exception {
        // queued behind a job that holds the only worker until cancelled: the sample follows the generation before it
        // starts, so it sees its whole lifecycle however slow the machine
        String blocker = submitRunningUntilCancelled("holds the only worker");
        String id = submit("a red fox in the snow");
        awaitEvent(id, event -> "queued".equals(event.event()));
        cancel(blocker);

        List<ServerSentEvent<String>> events = events(id);
        List<String> types = events.stream().map(ServerSentEvent::event).toList();
        assertThat(types).first().isEqualTo("submitted");
        assertThat(types).contains("in-progress", "log", "completed").last().isEqualTo("result");
        assertThat(types).doesNotContain("failed", "cancelled");
        assertThat(events).extracting(ServerSentEvent::id).doesNotContainNull().doesNotHaveDuplicates();

        JsonNode resultEvent = JSON.readTree(events.get(events.size() - 1).data());
        String imageUrl = resultEvent.path("imageUrl").asString();
        assertThat(imageUrl).as("served through the sample's own origin").startsWith("/images/");
        List<String> logLines = events.stream().filter(e -> "log".equals(e.event()))
                .flatMap(e -> JSON.readTree(e.data()).path("logs").valueStream())
                .map(l -> l.path("message").asString()).toList();
        assertThat(logLines).containsExactly("Loading model weights", "Encoding prompt", "Denoising step 10/30",
                "Denoising step 20/30", "Decoding image");

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
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + imageUrl)).timeout(BOUND).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(png.statusCode()).isEqualTo(200);
        assertThat(png.headers().firstValue("content-type")).hasValue("image/png");
        assertThat(Arrays.copyOf(png.body(), 8)).isEqualTo(PNG_SIGNATURE);

        // the fal.request observation reaches Micrometer and the actuator
        web.get().uri("/actuator/metrics/fal.request?tag=fal.outcome:completed").exchange()
                .expectStatus().isOk();

        // a late subscriber gets the same replay, and the stream still completes
        assertThat(events(id)).extracting(ServerSentEvent::event).isEqualTo(types);
        // Last-Event-ID skips what the browser already saw
        assertThat(events(id, "3")).extracting(ServerSentEvent::id).first().isEqualTo("4");
    }

    @Test
    void queuePositionsCountDownBehindOtherRequests() {
        // two jobs that run until cancelled hold the only worker and the head of the queue; the test moves the queue
        String first = submitRunningUntilCancelled("first");
        String second = submitRunningUntilCancelled("second");
        String third = submit("third");
        awaitEvent(third, queuedAt(1));
        cancel(first);
        awaitEvent(third, queuedAt(0));
        cancel(second);

        List<Integer> positions = events(third).stream().filter(e -> "queued".equals(e.event()))
                .map(e -> JSON.readTree(e.data()).path("position").asInt()).toList();
        assertThat(positions).containsExactly(1, 0);
        assertThat(events(third)).extracting(ServerSentEvent::event).last().isEqualTo("result");
        assertThat(events(first)).extracting(ServerSentEvent::event).last().isEqualTo("cancelled");
        assertThat(events(second)).extracting(ServerSentEvent::event).last().isEqualTo("cancelled");
    }

    @Test
    void cancelsALongRunningGeneration() {
        String id = submitRunningUntilCancelled("a very slow painting");
        awaitEvent(id, event -> "in-progress".equals(event.event()));

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
        String id = submitRunningUntilCancelled("not yet");
        web.get().uri("/generations/{id}/result", id).exchange()
                .expectStatus().isEqualTo(409)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.title").isEqualTo("Generation has no result")
                .jsonPath("$.generation.kind").value(k -> assertThat(k).isIn("queued", "in-progress"));
        cancel(id);
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
                .jsonPath("$.detail").value(d -> assertThat((String) d).contains("No generation " + unknown));
        web.get().uri("/generations/{id}/result", unknown).exchange().expectStatus().isNotFound();
        web.delete().uri("/generations/{id}", unknown).exchange().expectStatus().isNotFound();
        web.get().uri("/generations/{id}/events", unknown).accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail").value(d -> assertThat((String) d).contains("finished more than 10m ago"));
        web.get().uri("/images/{token}", "no-such-image").exchange().expectStatus().isNotFound();
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
                .jsonPath("$.queueUrl").isEqualTo("http://127.0.0.1:" + emulator.port() + "/queue");
        web.get().uri("/actuator/info").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.fal.mode").isEqualTo("emulator");
        web.get().uri("/").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(html -> assertThat(html).contains("/app.js"));
        web.get().uri("/app.js").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(js -> assertThat(js).contains("EventSource"));
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
        return eventStream(id, lastEventId).collectList().block(BOUND);
    }

    /** The generation's server-sent events (replay, then live until it ends), without keep-alive comments. */
    private Flux<ServerSentEvent<String>> eventStream(String id, String lastEventId) {
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
                .filter(e -> e.event() != null); // keep-alive comments
    }

    /** Submits a generation whose job runs (holding the endpoint's only worker) until it is cancelled. */
    private String submitRunningUntilCancelled(String prompt) {
        emulator.endpoint(properties.endpointId()).processingTime(Duration.ofHours(1));
        try {
            return submit(prompt);
        } finally {
            emulator.endpoint(properties.endpointId()).processingTime(properties.emulator().processingTime());
        }
    }

    private void cancel(String id) {
        web.delete().uri("/generations/{id}", id).exchange().expectStatus().isAccepted();
    }

    /** Waits, at most {@link #BOUND}, until the sample has published an event of the generation that matches. */
    private void awaitEvent(String id, Predicate<ServerSentEvent<String>> matching) {
        assertThat(eventStream(id, null).filter(matching).next().block(BOUND))
                .as("matching event of generation %s", id).isNotNull();
    }

    private static Predicate<ServerSentEvent<String>> queuedAt(int position) {
        return e -> "queued".equals(e.event()) && JSON.readTree(e.data()).path("position").asInt() == position;
    }
}
