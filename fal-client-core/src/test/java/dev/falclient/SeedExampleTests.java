package dev.falclient;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.falclient.FalTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

/** The two usage examples, end to end against WireMock. */
@WireMockTest
class SeedExampleTests {

    private static final String APP = "fal-ai/fast-sdxl";
    private static final String ID = "req-seed-1";

    @Test
    void blockingSeedExample(WireMockRuntimeInfo wm) {
        stubFor(submitStub(wm, APP, APP, ID));
        String scenario = "seed";
        stubFor(statusStub(APP, ID).inScenario(scenario).whenScenarioStateIs(STARTED)
                .willReturn(okJson(queued(3))).willSetStateTo("queued-1"));
        stubFor(statusStub(APP, ID).inScenario(scenario).whenScenarioStateIs("queued-1")
                .willReturn(okJson(queued(1))).willSetStateTo("running"));
        stubFor(statusStub(APP, ID).inScenario(scenario).whenScenarioStateIs("running")
                .willReturn(okJson(inProgress("[" + log("2025-01-01T00:00:01Z", "step 1/20") + "]")))
                .willSetStateTo("done"));
        stubFor(statusStub(APP, ID).inScenario(scenario).whenScenarioStateIs("done")
                .willReturn(okJson(completed())));
        stubFor(resultStub(APP, ID).willReturn(okJson(
                "{\"images\":[{\"url\":\"https://v3.fal.media/files/cat.png\",\"width\":1024}],\"seed\":42}")
                .withHeader("x-fal-request-id", ID)));

        try (FalClient fal = builder(wm).build()) {
            SyncRequestHandle handle = fal.submit(APP, Map.of("prompt", "a landscape"));
            assertThat(handle.requestId()).isEqualTo(ID);
            assertThat(handle.endpointId()).isEqualTo(APP);

            Status first = handle.status(true);
            assertThat(first).isEqualTo(new Queued(3));

            List<Status> events;
            try (Stream<Status> stream = handle.iterEvents(true, Duration.ofMillis(100))) {
                events = stream.toList();
            }
            assertThat(events).hasSize(3);
            assertThat(events.get(0)).isEqualTo(new Queued(1));
            assertThat(events.get(1)).isInstanceOfSatisfying(InProgress.class, p -> {
                assertThat(p.logs()).extracting(RequestLog::message).containsExactly("step 1/20");
                assertThat(p.logs().get(0).level()).isEqualTo("INFO");
            });
            assertThat(events.get(2)).isInstanceOfSatisfying(Completed.class, c -> {
                assertThat(c.failed()).isFalse();
                assertThat(c.metrics()).containsEntry("inference_time", 1.25);
            });

            JsonNode result = handle.get();
            assertThat(result.get("images").get(0).get("url").asString())
                    .isEqualTo("https://v3.fal.media/files/cat.png");
        }

        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(QUEUE + "/" + APP))
                .withRequestBody(equalToJson("{\"prompt\":\"a landscape\"}"))
                .withHeader("Authorization", equalTo("Key test-key")));
        // status(true) and every iterEvents(true) poll asked for logs
        wm.getWireMock().verifyThat(4, getRequestedFor(urlPathEqualTo(requestPath(APP, ID) + "/status"))
                .withQueryParam("logs", equalTo("1")));
        wm.getWireMock().verifyThat(1, getRequestedFor(urlPathEqualTo(requestPath(APP, ID))));
    }

    @Test
    void asyncBatchExample(WireMockRuntimeInfo wm) {
        List<String> prompts = List.of("a cat", "a dog", "a bird", "a fish");
        for (int i = 0; i < prompts.size(); i++) {
            String id = "batch-" + i;
            stubFor(post(urlPathEqualTo(QUEUE + "/" + APP))
                    .withRequestBody(equalToJson("{\"prompt\":\"" + prompts.get(i) + "\"}"))
                    .willReturn(okJson(submitReply(wm, APP, id))));
            String scenario = "batch-" + i;
            stubFor(statusStub(APP, id).inScenario(scenario).whenScenarioStateIs(STARTED)
                    .willReturn(okJson(queued(i))).willSetStateTo("running"));
            stubFor(statusStub(APP, id).inScenario(scenario).whenScenarioStateIs("running")
                    .willReturn(okJson(inProgress("[]"))).willSetStateTo("done"));
            stubFor(statusStub(APP, id).inScenario(scenario).whenScenarioStateIs("done")
                    .willReturn(okJson(completed())));
            stubFor(resultStub(APP, id).willReturn(okJson("{\"images\":[{\"url\":\"https://cdn/" + id + ".png\"}]}")));
        }

        try (AsyncFalClient fal = asyncBuilder(wm).build()) {
            List<AsyncRequestHandle> handles = Flux.fromIterable(prompts)
                    .concatMap(p -> fal.submit(APP, Map.of("prompt", p)))
                    .collectList().block(Duration.ofSeconds(10));
            assertThat(handles).extracting(AsyncRequestHandle::requestId)
                    .containsExactly("batch-0", "batch-1", "batch-2", "batch-3");

            List<Status> all = Flux.merge(handles.stream().map(h -> h.iterEvents(false, Duration.ofMillis(20)))
                    .toList()).collectList().block(Duration.ofSeconds(10));
            assertThat(all).filteredOn(Completed.class::isInstance).hasSize(4);
            assertThat(all).filteredOn(InProgress.class::isInstance).hasSize(4);
            assertThat(all).filteredOn(Queued.class::isInstance).hasSize(4);

            List<String> urls = Flux.fromIterable(handles).flatMap(AsyncRequestHandle::get)
                    .map(r -> r.get("images").get(0).get("url").asString())
                    .collectList().block(Duration.ofSeconds(10));
            assertThat(urls).containsExactlyInAnyOrder("https://cdn/batch-0.png", "https://cdn/batch-1.png",
                    "https://cdn/batch-2.png", "https://cdn/batch-3.png");
        }
        wm.getWireMock().verifyThat(4, postRequestedFor(urlPathEqualTo(QUEUE + "/" + APP)));
        wm.getWireMock().verifyThat(4, getRequestedFor(urlPathMatching(QUEUE + "/" + APP + "/requests/batch-\\d")));
    }

    @Test
    void subscribeSubmitsWaitsAndFetches(WireMockRuntimeInfo wm) {
        stubFor(submitStub(wm, APP, APP, ID));
        stubFor(statusStub(APP, ID).willReturn(okJson(completed())));
        stubFor(resultStub(APP, ID).willReturn(okJson("{\"seed\":7}")));
        List<String> enqueued = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Status> updates = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (FalClient fal = builder(wm).build()) {
            JsonNode out = fal.subscribe(APP, Map.of("prompt", "x"), SubscribeOptions.builder()
                    .onEnqueue(enqueued::add).onQueueUpdate(updates::add).build());
            assertThat(out.get("seed").asInt()).isEqualTo(7);
        }
        assertThat(enqueued).containsExactly(ID);
        assertThat(updates).hasSize(1).first().isInstanceOf(Completed.class);
    }
}
