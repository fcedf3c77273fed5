package dev.falclient.sample;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.falclient.emulator.FalEmulator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The same application in {@code live} mode, against a WireMock stand-in for {@code queue.fal.run}: proves that
 * the sample talks fal's protocol through the starter (key header, endpoint path, status JSON mapping) and that no
 * emulator is involved.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sample.fal.mode=live",
        "sample.demo.enabled=false",
        "fal.key=test-key",
        "fal.status-mode=POLLING",
        "fal.poll-interval=100ms",
        "fal.retry.max-attempts=1"})
class LiveModeWireMockTests {

    private static final tools.jackson.databind.json.JsonMapper JSON =
            tools.jackson.databind.json.JsonMapper.builder().build();
    private static final String ENDPOINT = "/fal-ai/fast-sdxl";
    private static final String REQUESTS = ENDPOINT + "/requests/";

    @RegisterExtension
    static WireMockExtension fal = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @DynamicPropertySource
    static void falUrls(DynamicPropertyRegistry registry) {
        registry.add("fal.queue-url", fal::baseUrl);
    }

    @LocalServerPort
    int port;

    WebTestClient web;

    @Autowired
    ApplicationContext context;

    @Autowired
    GenerationEventStore store;

    String session = BrowserSession.newId();

    @BeforeEach
    void client() {
        web = OneConnectionPerExchange.webTestClient(port, session);
    }

    @BeforeEach
    void stubFal() {
        String base = fal.baseUrl() + REQUESTS;
        fal.stubFor(post(urlPathEqualTo(ENDPOINT)).willReturn(json(200, """
                {"request_id": "req-live-1", "status": "IN_QUEUE", "queue_position": 0,
                 "response_url": "%1$sreq-live-1", "status_url": "%1$sreq-live-1/status",
                 "cancel_url": "%1$sreq-live-1/cancel"}""".formatted(base))));
        fal.stubFor(get(urlPathEqualTo(REQUESTS + "req-live-1/status")).willReturn(json(200, """
                {"status": "COMPLETED", "request_id": "req-live-1", "logs": [],
                 "metrics": {"inference_time": 1.25}}""")));
        fal.stubFor(get(urlPathEqualTo(REQUESTS + "req-live-1")).willReturn(json(200, """
                {"images": [{"url": "https://v3.fal.media/files/abc/cat.png", "width": 1024, "height": 1024,
                             "content_type": "image/png"}],
                 "seed": 42, "prompt": "a cat"}""")));
        fal.stubFor(get(urlPathEqualTo(REQUESTS + "req-queued/status")).willReturn(json(202, """
                {"status": "IN_QUEUE", "request_id": "req-queued", "queue_position": 3}""")));
        fal.stubFor(get(urlPathEqualTo(REQUESTS + "req-running/status")).willReturn(json(202, """
                {"status": "IN_PROGRESS", "request_id": "req-running",
                 "logs": [{"message": "step 1/2", "level": "INFO", "source": "USER",
                           "timestamp": "2025-01-01T00:00:01Z"},
                          {"message": "step 2/2", "labels": {"level": "STDERR"},
                           "timestamp": "2025-01-01T00:00:02Z"}]}""")));
        fal.stubFor(get(urlPathEqualTo(REQUESTS + "req-missing/status")).willReturn(json(404, """
                {"detail": "Request not found"}""")));
        fal.stubFor(put(urlPathEqualTo(REQUESTS + "req-queued/cancel")).willReturn(json(202, """
                {"status": "CANCELLATION_REQUESTED"}""")));
    }

    @Test
    void submitSendsTheKeyToTheEndpointPathAndStreamsTheOutcome() {
        web.post().uri("/generations").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"prompt\": \"a cat\"}")
                .exchange()
                .expectStatus().isAccepted()
                .expectBody()
                .jsonPath("$.requestId").isEqualTo("req-live-1")
                .jsonPath("$.endpointId").isEqualTo("fal-ai/fast-sdxl");

        fal.verify(postRequestedFor(urlPathEqualTo(ENDPOINT))
                .withHeader("Authorization", equalTo("Key test-key"))
                .withRequestBody(equalToJson("{\"prompt\": \"a cat\"}")));

        List<ServerSentEvent<String>> events = web.mutate().responseTimeout(Duration.ofSeconds(20)).build()
                .get().uri("/generations/req-live-1/events").accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {
                })
                .getResponseBody()
                .filter(e -> e.event() != null)
                .collectList()
                .block(Duration.ofSeconds(20));
        assertThat(events).extracting(ServerSentEvent::event)
                .containsSubsequence("submitted", "completed", "result")
                .last().isEqualTo("result");
        // the image is served through the app's origin, never by fal's URL
        String imageUrl = JSON.readTree(events.get(events.size() - 1).data()).path("imageUrl").asString();
        assertThat(imageUrl).startsWith("/images/");
        assertThat(events.get(events.size() - 1).data()).doesNotContain("v3.fal.media");

        web.get().uri("/generations/req-live-1/result").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.images[0].url").isEqualTo(imageUrl)
                .jsonPath("$.seed").isEqualTo(42);
    }

    /** Makes this test's browser the owner of a request id, as if it had submitted it. */
    private void own(String requestId) {
        store.register(requestId, "fal-ai/fast-sdxl", session);
    }

    @Test
    void statusMapsFalsJson() {
        own("req-queued");
        own("req-running");
        own("req-missing");
        web.get().uri("/generations/req-queued").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.kind").isEqualTo("queued")
                .jsonPath("$.status").isEqualTo("IN_QUEUE")
                .jsonPath("$.position").isEqualTo(3);
        web.get().uri("/generations/req-running").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.kind").isEqualTo("in-progress")
                .jsonPath("$.logs[0].message").isEqualTo("step 1/2")
                .jsonPath("$.logs[1].message").isEqualTo("step 2/2")
                .jsonPath("$.logs[1].level").isEqualTo("STDERR");
        web.get().uri("/generations/req-missing").exchange()
                .expectStatus().isNotFound();
        web.get().uri("/generations/req-queued/result").exchange()
                .expectStatus().isEqualTo(409)
                .expectBody()
                .jsonPath("$.generation.position").isEqualTo(3);

        fal.verify(getRequestedFor(urlPathEqualTo(REQUESTS + "req-running/status"))
                .withHeader("Authorization", equalTo("Key test-key")));
    }

    @Test
    void cancelCallsFalsCancelUrl() {
        own("req-queued");
        web.delete().uri("/generations/req-queued").exchange()
                .expectStatus().isAccepted();
        fal.verify(putRequestedFor(urlPathEqualTo(REQUESTS + "req-queued/cancel"))
                .withHeader("Authorization", equalTo("Key test-key")));
    }

    @Test
    void runsWithoutAnEmulator() {
        assertThat(context.getBeansOfType(FalEmulator.class)).isEmpty();
        web.get().uri("/mode").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.mode").isEqualTo("live")
                .jsonPath("$.queueUrl").isEqualTo(fal.baseUrl())
                .jsonPath("$.keySource").isEqualTo("fal.key");
    }

    @Test
    void healthNeverCallsFal() {
        int before = fal.getAllServeEvents().size();

        web.get().uri("/actuator/health/fal").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.details.credentialSource").isEqualTo("fal.key")
                .jsonPath("$.details.queueUrl").isEqualTo(fal.baseUrl());

        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(fal.getAllServeEvents()).as("requests that reached fal while health was computed")
                        .hasSize(before));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }
}
