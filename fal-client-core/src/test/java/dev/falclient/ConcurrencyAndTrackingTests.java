package dev.falclient;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.falclient.FalTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Many requests in flight, blocking misuse, and background tracking. */
@WireMockTest
class ConcurrencyAndTrackingTests {

    private static final String APP = "fal-ai/fast-sdxl";

    @Test
    void hundredAsyncRequestsInFlightAtOnce(WireMockRuntimeInfo wm) {
        String base = wm.getHttpBaseUrl() + QUEUE + "/" + APP + "/requests/";
        stubFor(post(urlPathEqualTo(QUEUE + "/" + APP)).willReturn(okJson(
                "{\"request_id\":\"c-{{jsonPath request.body '$.i'}}\","
                        + "\"status_url\":\"" + base + "c-{{jsonPath request.body '$.i'}}/status\","
                        + "\"response_url\":\"" + base + "c-{{jsonPath request.body '$.i'}}\","
                        + "\"cancel_url\":\"" + base + "c-{{jsonPath request.body '$.i'}}/cancel\"}")
                .withTransformers("response-template")));
        stubFor(get(urlPathMatching(QUEUE + "/" + APP + "/requests/c-\\d+/status"))
                .willReturn(okJson(completed()).withFixedDelay(30)));
        stubFor(get(urlPathMatching(QUEUE + "/" + APP + "/requests/c-\\d+"))
                .willReturn(okJson("{\"id\":\"{{request.pathSegments.[5]}}\"}").withTransformers("response-template")
                        .withFixedDelay(30)));
        try (AsyncFalClient fal = asyncBuilder(wm).build()) {
            List<String> pairs = Flux.range(0, 100)
                    .flatMap(i -> fal.submit(APP, Map.of("i", i))
                            .flatMap(handle -> handle.get().map(result -> handle.requestId() + "=" + result.get("id")
                                    .asString() + "<-" + i)), 100)
                    .collectList().block(Duration.ofSeconds(30));
            // input i was accepted as c-i and its own result came back: each pair is known before the run
            List<String> expected = IntStream.range(0, 100).mapToObj(i -> "c-" + i + "=c-" + i + "<-" + i).toList();
            assertThat(pairs).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(fal.stats().inFlight()).isZero();
            assertThat(fal.stats().failed()).isZero();
            assertThat(fal.stats().succeeded()).isEqualTo(300);
        }
        wm.getWireMock().verifyThat(100, postRequestedFor(urlPathEqualTo(QUEUE + "/" + APP)));
        wm.getWireMock().verifyThat(100, getRequestedFor(urlPathMatching(QUEUE + "/" + APP + "/requests/c-\\d+")));
    }

    @Test
    void blockingClientOnANonBlockingThreadFailsFast(WireMockRuntimeInfo wm) {
        stubFor(statusStub(APP, "b").willReturn(okJson(queued(0))));
        try (FalClient fal = builder(wm).build()) {
            StepVerifier.create(Mono.fromCallable(() -> fal.handle(APP, "b").status())
                            .subscribeOn(Schedulers.parallel()))
                    .expectError(IllegalStateException.class)
                    .verify(Duration.ofSeconds(5));
            // the same call from an ordinary thread works
            assertThat(fal.handle(APP, "b").status()).isEqualTo(new Queued(0));
        }
    }

    @Test
    void trackedSubmitReportsEverythingWithoutTheCallerWaiting(WireMockRuntimeInfo wm) {
        stubFor(submitStub(wm, APP, APP, "t1"));
        stubFor(statusStub(APP, "t1").inScenario("t").whenScenarioStateIs("Started")
                .willReturn(okJson(queued(1))).willSetStateTo("running"));
        stubFor(statusStub(APP, "t1").inScenario("t").whenScenarioStateIs("running")
                .willReturn(okJson(inProgress("[" + log("t1", "hello") + "]"))).willSetStateTo("done"));
        stubFor(statusStub(APP, "t1").inScenario("t").whenScenarioStateIs("done").willReturn(okJson(completed())));
        stubFor(resultStub(APP, "t1").willReturn(okJson("{\"done\":true}")));
        ListenerTests.Recorder recorder = new ListenerTests.Recorder();
        try (FalClient fal = builder(wm).listener(recorder).build()) {
            SyncRequestHandle handle = fal.submit(APP, Map.of(), SubmitOptions.builder().track(true).build());
            assertThat(handle.requestId()).isEqualTo("t1");
            await("tracking to fetch the result", Duration.ofSeconds(5),
                    () -> recorder.events.contains("result:{\"done\":true}"));
        }
        assertThat(recorder.events).containsExactly("submitted:t1", "status:Queued(1)", "status:InProgress", "logs:1",
                "status:Completed", "result:{\"done\":true}");
        // tracking asks for logs by default
        wm.getWireMock().verifyThat(3, getRequestedFor(urlPathEqualTo(requestPath(APP, "t1") + "/status"))
                .withQueryParam("logs", com.github.tomakehurst.wiremock.client.WireMock.equalTo("1")));
    }

    @Test
    void trackingLimitRejectsBeforeSending(WireMockRuntimeInfo wm) {
        stubFor(submitStub(wm, APP, APP, "t2"));
        stubFor(statusStub(APP, "t2").willReturn(okJson(queued(5))));
        try (AsyncFalClient fal = asyncBuilder(wm).maxTrackedRequests(1).trackSubmitted(true).build()) {
            StepVerifier.create(fal.submit(APP, Map.of("n", 1))).expectNextCount(1).verifyComplete();
            StepVerifier.create(fal.submit(APP, Map.of("n", 2)))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(FalException.class)
                            .hasMessageContaining("already tracked")
                            .satisfies(x -> assertThat(((FalException) x).possiblySubmitted()).isFalse()))
                    .verify(Duration.ofSeconds(5));
            wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(QUEUE + "/" + APP)));
            // an untracked submit is not limited
            StepVerifier.create(fal.submit(APP, Map.of("n", 3), SubmitOptions.builder().track(false).build()))
                    .expectNextCount(1).verifyComplete();
        }
        wm.getWireMock().verifyThat(2, postRequestedFor(urlPathEqualTo(QUEUE + "/" + APP)));
    }

    @Test
    void trackingSlotIsFreedWhenARequestCompletesOrItsSubmitFails(WireMockRuntimeInfo wm) {
        stubFor(submitStub(wm, APP, APP, "t3"));
        stubFor(post(urlPathEqualTo(QUEUE + "/fal-ai/broken")).willReturn(json(400, "{\"detail\":\"bad\"}")));
        stubFor(statusStub(APP, "t3").willReturn(okJson(completed())));
        stubFor(resultStub(APP, "t3").willReturn(okJson("{}")));
        ListenerTests.Recorder recorder = new ListenerTests.Recorder();
        SubmitOptions tracked = SubmitOptions.builder().track(true).build();
        try (FalClient fal = builder(wm).maxTrackedRequests(1).listener(recorder).build()) {
            assertThatThrownBy(() -> fal.submit("fal-ai/broken", Map.of(), tracked))
                    .isInstanceOf(FalHttpException.class);
            fal.submit(APP, Map.of(), tracked);
            await("first result", Duration.ofSeconds(5), () -> recorder.events.contains("result:{}"));
            await("slot freed", Duration.ofSeconds(5), () -> {
                try {
                    fal.submit(APP, Map.of(), tracked);
                    return true;
                } catch (FalException stillTracked) {
                    return false;
                }
            });
        }
    }

    @Test
    void closeStopsTracking(WireMockRuntimeInfo wm) {
        stubFor(submitStub(wm, APP, APP, "t4"));
        stubFor(statusStub(APP, "t4").willReturn(okJson(queued(1))));
        FalClient fal = builder(wm).build();
        fal.submit(APP, Map.of(), SubmitOptions.builder().track(true).build());
        await("tracking to poll", Duration.ofSeconds(5), () -> wm.getWireMock()
                .find(getRequestedFor(urlPathEqualTo(requestPath(APP, "t4") + "/status"))).size() >= 2);
        fal.close();
        fal.close(); // idempotent
        // tracking polls every 20 ms: had it survived the close, the count would keep moving
        awaitSettled("no more status polls after close", Duration.ofMillis(300), () -> wm.getWireMock()
                .find(getRequestedFor(urlPathEqualTo(requestPath(APP, "t4") + "/status"))).size());
    }

    @Test
    void resultsAreIndependentJsonTrees(WireMockRuntimeInfo wm) {
        stubFor(statusStub(APP, "j").willReturn(okJson(completed())));
        stubFor(resultStub(APP, "j").willReturn(okJson("{\"images\":[{\"url\":\"a\"}]}")));
        try (FalClient fal = builder(wm).build()) {
            JsonNode a = fal.result(APP, "j");
            JsonNode b = fal.result(APP, "j");
            JsonNode expected = JsonMapper.builder().build().readTree("{\"images\":[{\"url\":\"a\"}]}");
            assertThat(a).isEqualTo(expected).isNotSameAs(b);
            assertThat(b).isEqualTo(expected);
            ((ObjectNode) a).put("changed", true);
            assertThat(b).isEqualTo(expected);
        }
    }
}
