package dev.falclient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.falclient.FalTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Status streaming (SSE) and each of its fallbacks to polling. */
@WireMockTest
class StreamingModeTests {

    private static final String APP = "fal-ai/flux";
    private static final String ID = "req-sse";
    private static final String STATUS = requestPath(APP, ID) + "/status";
    private static final String STREAM = STATUS + "/stream";

    private static final String EVENTS = "data: {\"status\":\"IN_QUEUE\",\"queue_position\":1}\n\n"
            + ": keep-alive comment\n\n"
            + "event: status\nid: 2\ndata: {\"status\":\"IN_PROGRESS\",\"logs\":[{\"message\":\"loading\","
            + "\"timestamp\":\"t1\"}]}\n\n"
            + "data: {\"status\":\"COMPLETED\",\"metrics\":{\"inference_time\":0.3}}\n\n";

    private static ResponseDefinitionBuilder sse(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(body);
    }

    private static FalClient streamingClient(WireMockRuntimeInfo wm) {
        return builder(wm).statusMode(StatusMode.STREAMING).streamIdleTimeout(Duration.ofMillis(500)).build();
    }

    private static void resultAndPolling() {
        stubFor(statusStub(APP, ID).willReturn(okJson(completed())));
        stubFor(resultStub(APP, ID).willReturn(okJson("{\"images\":[{\"url\":\"u\"}]}")));
    }

    private static int polls(WireMockRuntimeInfo wm) {
        return wm.getWireMock().find(getRequestedFor(urlPathEqualTo(STATUS))).size();
    }

    /**
     * Loads the SSE/codec classes once with a generous idle timeout: in a cold JVM the very first stream can take
     * longer than the tests' 500 ms idle timeout just to be sent, which would turn every test into the idle path.
     */
    @BeforeAll
    static void warmUp() {
        WireMockServer server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        server.start();
        try {
            server.stubFor(get(urlPathEqualTo("/q/a/b/requests/w/status/stream")).willReturn(sse(EVENTS)));
            try (FalClient fal = FalClient.builder().key(KEY).queueUrl(server.baseUrl() + "/q")
                    .statusMode(StatusMode.STREAMING).build()) {
                assertThat(fal.handle("a/b", "w").async().watch(true).collectList().block(Duration.ofSeconds(30)))
                        .hasSize(3);
            }
        } finally {
            server.stop();
        }
    }

    @Test
    void completeStreamNeedsNoPolling(WireMockRuntimeInfo wm) {
        resultAndPolling();
        stubFor(get(urlPathEqualTo(STREAM)).willReturn(sse(EVENTS)));
        try (FalClient fal = streamingClient(wm)) {
            JsonNode out = fal.handle(APP, ID).get();
            assertThat(out.get("images").get(0).get("url").asString()).isEqualTo("u");
        }
        assertThat(polls(wm)).isZero();
        wm.getWireMock().verifyThat(1, getRequestedFor(urlPathEqualTo(STREAM))
                .withHeader("Accept", matching(".*text/event-stream.*"))
                .withHeader("Authorization", equalTo("Key test-key")));
        wm.getWireMock().verifyThat(1, getRequestedFor(urlPathEqualTo(requestPath(APP, ID))));
    }

    @Test
    void watchEmitsEveryStreamedStatusWithLogs(WireMockRuntimeInfo wm) {
        stubFor(get(urlPathEqualTo(STREAM)).willReturn(sse(EVENTS)));
        try (FalClient fal = streamingClient(wm)) {
            List<Status> seen = fal.handle(APP, ID).async().watch(true).collectList().block(Duration.ofSeconds(5));
            assertThat(seen).hasSize(3);
            assertThat(seen.get(0)).isEqualTo(new Queued(1));
            assertThat(seen.get(1)).isEqualTo(new InProgress(List.of(new RequestLog("loading", null, null, "t1"))));
            assertThat(seen.get(2)).isInstanceOf(Completed.class);
        }
        wm.getWireMock().verifyThat(1, getRequestedFor(urlPathEqualTo(STREAM)).withQueryParam("logs", equalTo("1")));
        assertThat(polls(wm)).isZero();
    }

    @Test
    void subscribeCanChooseStreamingPerCall(WireMockRuntimeInfo wm) {
        resultAndPolling();
        stubFor(submitStub(wm, APP, APP, ID));
        stubFor(get(urlPathEqualTo(STREAM)).willReturn(sse(EVENTS)));
        List<Status> updates = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (FalClient fal = builder(wm).build()) { // client default: polling
            fal.subscribe(APP, Map.of(), SubscribeOptions.builder().mode(StatusMode.STREAMING)
                    .onQueueUpdate(updates::add).build());
        }
        assertThat(updates).hasSize(3);
        assertThat(polls(wm)).isZero();
    }

    @Test
    void fallsBackToPollingWhenTheStreamAnswers500(WireMockRuntimeInfo wm) {
        resultAndPolling();
        stubFor(get(urlPathEqualTo(STREAM)).willReturn(json(500, "{\"detail\":\"no stream\"}")));
        try (FalClient fal = streamingClient(wm)) {
            assertThat(fal.handle(APP, ID).get().has("images")).isTrue();
        }
        wm.getWireMock().verifyThat(1, getRequestedFor(urlPathEqualTo(STREAM)));
        assertThat(polls(wm)).isGreaterThanOrEqualTo(1);
    }

    @Test
    void fallsBackToPollingWhenTheStreamClosesEarly(WireMockRuntimeInfo wm) {
        resultAndPolling();
        stubFor(get(urlPathEqualTo(STREAM)).willReturn(sse(
                "data: {\"status\":\"IN_QUEUE\",\"queue_position\":2}\n\n"
                        + "data: {\"status\":\"IN_PROGRESS\"}\n\n")));
        try (FalClient fal = streamingClient(wm)) {
            List<Status> seen = fal.handle(APP, ID).async().watch(false).collectList().block(Duration.ofSeconds(5));
            assertThat(seen).hasSize(3);
            assertThat(seen.get(0)).isEqualTo(new Queued(2));
            assertThat(seen.get(1)).isInstanceOf(InProgress.class);
            assertThat(seen.get(2)).isInstanceOf(Completed.class);
            assertThat(fal.handle(APP, ID).get().has("images")).isTrue();
        }
        assertThat(polls(wm)).isGreaterThanOrEqualTo(2);
    }

    @Test
    void fallsBackToPollingWhenTheStreamStaysSilent(WireMockRuntimeInfo wm) {
        resultAndPolling();
        // the stream would answer long after the wait timeout: only the fallback can get the result in time
        stubFor(get(urlPathEqualTo(STREAM)).willReturn(sse(EVENTS).withFixedDelay(20_000)));
        try (FalClient fal = streamingClient(wm)) {
            assertThat(fal.handle(APP, ID).get().has("images")).isTrue();
        }
        wm.getWireMock().verifyThat(1, getRequestedFor(urlPathEqualTo(STREAM)));
        assertThat(polls(wm)).isGreaterThanOrEqualTo(1);
    }

    @Test
    void fallsBackToPollingWhenTheStreamGoesSilentMidway(WireMockRuntimeInfo wm) {
        resultAndPolling();
        // the first event arrives, then bytes that never make an event dribble in; the stream's own COMPLETED would
        // come after the wait timeout, so only the fallback can get the result in time
        String body = "data: {\"status\":\"IN_QUEUE\",\"queue_position\":0}\n\n" + " ".repeat(4000) + EVENTS;
        stubFor(get(urlPathEqualTo(STREAM)).willReturn(sse(body).withChunkedDribbleDelay(40, 20_000)));
        try (FalClient fal = streamingClient(wm)) {
            assertThat(fal.handle(APP, ID).get().has("images")).isTrue();
        }
        wm.getWireMock().verifyThat(1, getRequestedFor(urlPathEqualTo(STREAM)));
        assertThat(polls(wm)).isGreaterThanOrEqualTo(1);
    }

    @Test
    void fallsBackToPollingWhenTheStreamIsNotAnEventStream(WireMockRuntimeInfo wm) {
        resultAndPolling();
        stubFor(get(urlPathEqualTo(STREAM)).willReturn(okJson("{\"status\":\"COMPLETED\"}")));
        try (FalClient fal = streamingClient(wm)) {
            assertThat(fal.handle(APP, ID).get().has("images")).isTrue();
        }
        wm.getWireMock().verifyThat(1, getRequestedFor(urlPathEqualTo(STREAM)));
        assertThat(polls(wm)).isGreaterThanOrEqualTo(1);
    }

    @Test
    void fallsBackToPollingOnAMalformedEvent(WireMockRuntimeInfo wm) {
        resultAndPolling();
        stubFor(get(urlPathEqualTo(STREAM)).willReturn(sse("data: {not json\n\n")));
        try (FalClient fal = streamingClient(wm)) {
            assertThat(fal.handle(APP, ID).get().has("images")).isTrue();
        }
        assertThat(polls(wm)).isGreaterThanOrEqualTo(1);
    }

    @Test
    void pollsInsteadOfStreamingWhenNoStreamSlotIsFree(WireMockRuntimeInfo wm) {
        resultAndPolling();
        stubFor(get(urlPathEqualTo(STREAM)).willReturn(sse(EVENTS)));
        try (FalClient fal = builder(wm).statusMode(StatusMode.STREAMING).maxStatusStreams(0).build()) {
            assertThat(fal.handle(APP, ID).get().get("images")).hasSize(1);
        }
        wm.getWireMock().verifyThat(0, getRequestedFor(urlPathEqualTo(STREAM)));
        assertThat(polls(wm)).isPositive();
    }

    @Test
    void aFinishedStreamFreesItsSlot(WireMockRuntimeInfo wm) {
        resultAndPolling();
        stubFor(get(urlPathEqualTo(STREAM)).willReturn(sse(EVENTS)));
        try (FalClient fal = builder(wm).statusMode(StatusMode.STREAMING).maxStatusStreams(1)
                .streamIdleTimeout(Duration.ofMillis(500)).build()) {
            fal.handle(APP, ID).get();
            fal.handle(APP, ID).get();
        }
        wm.getWireMock().verifyThat(2, getRequestedFor(urlPathEqualTo(STREAM)));
        assertThat(polls(wm)).isZero();
    }
}
