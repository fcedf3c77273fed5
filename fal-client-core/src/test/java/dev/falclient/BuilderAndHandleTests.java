package dev.falclient;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.falclient.FalTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Builder validation, URL normalisation, subscribe options and early stop of iterEvents. */
@WireMockTest
class BuilderAndHandleTests {

    private static final String APP = "fal-ai/flux";
    private static final String ID = "req-b";

    @Test
    void builderRejectsInvalidSettings() {
        FalClient.Builder b = FalClient.builder();
        assertThatThrownBy(() -> b.queueUrl("ftp://queue.example")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("queueUrl");
        assertThatThrownBy(() -> b.runUrl("not a url")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.queueUrl(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.pollInterval(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.responseTimeout(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.jitter(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.maxInMemorySize(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.maxTrackedRequests(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.defaultHeader(" ", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SubscribeOptions.builder().clientTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RunOptions.builder().timeout(Duration.ofMillis(-5)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SubmitOptions.builder().header("", "v")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void trailingSlashesOfBaseUrlsAreIgnored(WireMockRuntimeInfo wm) {
        stubFor(submitStub(wm, APP, APP, ID));
        try (FalClient fal = builder(wm).queueUrl(wm.getHttpBaseUrl() + QUEUE + "//").build()) {
            assertThat(fal.submit(APP, Map.of()).requestId()).isEqualTo(ID);
            assertThat(fal.stats().queueUrl()).isEqualTo(wm.getHttpBaseUrl() + QUEUE);
        }
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(QUEUE + "/" + APP)));
    }

    @Test
    void subscribeCarriesSubmitOptionsAndAsksForLogs(WireMockRuntimeInfo wm) {
        stubFor(submitStub(wm, "fal-ai/flux/dev", APP, ID));
        stubFor(statusStub(APP, ID).inScenario("s").whenScenarioStateIs("Started")
                .willReturn(okJson(inProgress("[" + log("t", "working") + "]"))).willSetStateTo("done"));
        stubFor(statusStub(APP, ID).inScenario("s").whenScenarioStateIs("done").willReturn(okJson(completed())));
        stubFor(resultStub(APP, ID).willReturn(okJson("{\"v\":3}")));
        List<Status> updates = new CopyOnWriteArrayList<>();
        try (FalClient fal = builder(wm).build()) {
            record Out(int v) {
            }
            Out out = fal.subscribe("fal-ai/flux/dev", Map.of("prompt", "p"), SubscribeOptions.builder()
                    .withLogs(true).webhookUrl("https://hooks.example/fal").priority(Priority.LOW).hint("h")
                    .header("X-Fal-Store-IO", "0").pollInterval(Duration.ofMillis(20))
                    .onQueueUpdate(updates::add).build(), Out.class);
            assertThat(out).isEqualTo(new Out(3));
        }
        assertThat(updates).hasSize(2);
        assertThat(updates.get(0)).isInstanceOfSatisfying(InProgress.class,
                p -> assertThat(p.logs()).extracting(RequestLog::message).containsExactly("working"));
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(QUEUE + "/fal-ai/flux/dev"))
                .withQueryParam("fal_webhook", equalTo("https://hooks.example/fal"))
                .withHeader("X-Fal-Queue-Priority", equalTo("low"))
                .withHeader("X-Fal-Runner-Hint", equalTo("h"))
                .withHeader("X-Fal-Store-IO", equalTo("0")));
        wm.getWireMock().verifyThat(2, getRequestedFor(urlPathEqualTo(requestPath(APP, ID) + "/status"))
                .withQueryParam("logs", equalTo("1")));
    }

    @Test
    void closingIterEventsStopsPolling(WireMockRuntimeInfo wm) {
        stubFor(statusStub(APP, ID).willReturn(okJson(queued(2))));
        try (FalClient fal = builder(wm).build()) {
            try (Stream<Status> events = fal.handle(APP, ID).iterEvents(false, Duration.ofMillis(20))) {
                assertThat(events.limit(3).toList()).containsOnly(new Queued(2)).hasSize(3);
            }
            // a poll every 20 ms would keep the count moving; polls already on the wire at the close may land
            int settled = awaitSettled("no more status polls", Duration.ofMillis(300), () -> statusCalls(wm));
            assertThat(settled).isBetween(3, 6);
        }
    }

    @Test
    void asyncIterEventsCanBeCancelled(WireMockRuntimeInfo wm) {
        stubFor(statusStub(APP, ID).willReturn(okJson(queued(2))));
        try (AsyncFalClient fal = asyncBuilder(wm).build()) {
            List<Status> first = fal.handle(APP, ID).iterEvents(false, Duration.ofMillis(20)).take(2)
                    .collectList().block(Duration.ofSeconds(5));
            assertThat(first).hasSize(2);
            int settled = awaitSettled("no more status polls", Duration.ofMillis(300), () -> statusCalls(wm));
            assertThat(settled).isBetween(2, 4);
        }
    }

    private static int statusCalls(WireMockRuntimeInfo wm) {
        return wm.getWireMock().find(getRequestedFor(urlPathEqualTo(requestPath(APP, ID) + "/status"))).size();
    }

    @Test
    void aClosedClientRefusesCallsInsteadOfOpeningANewPool(WireMockRuntimeInfo wm) {
        stubFor(statusStub("fal-ai/flux", "r1").willReturn(okJson(queued(0))));
        FalClient fal = builder(wm).build();
        fal.close();
        fal.close(); // idempotent
        assertThatThrownBy(() -> fal.status("fal-ai/flux", "r1", false))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        wm.getWireMock().verifyThat(0, getRequestedFor(urlPathEqualTo(requestPath("fal-ai/flux", "r1") + "/status")));
    }

    @Test
    void aRejectingExecutorDropsListenerCallbacksButNotTheCalls(WireMockRuntimeInfo wm) {
        stubFor(statusStub("fal-ai/flux", "r2").willReturn(okJson(queued(3))));
        List<Status> seen = new CopyOnWriteArrayList<>();
        java.util.concurrent.Executor rejecting = task -> {
            throw new java.util.concurrent.RejectedExecutionException("full");
        };
        try (FalClient fal = builder(wm).listenerExecutor(rejecting).listener(new FalRequestListener() {
            @Override
            public void onStatusChanged(FalRequest request, Status status) {
                seen.add(status);
            }
        }).build()) {
            assertThat(fal.status("fal-ai/flux", "r2", false)).isEqualTo(new Queued(3));
            stubFor(statusStub("fal-ai/flux", "r2").willReturn(okJson(queued(1))));
            assertThat(fal.status("fal-ai/flux", "r2", false)).isEqualTo(new Queued(1));
        }
        // dropped, never run on the calling thread (see ListenerOverloadTests)
        assertThat(seen).isEmpty();
    }

    @Test
    void theConnectorFactoryGetsTheClientsConfiguredHttpClient(WireMockRuntimeInfo wm) {
        stubFor(statusStub("fal-ai/flux", "r3").willReturn(okJson(queued(2))));
        List<reactor.netty.http.client.HttpClient> seen = new CopyOnWriteArrayList<>();
        try (FalClient fal = builder(wm)
                .httpClient(http -> http.headers(h -> h.add("X-From-Customizer", "1")))
                .connector(http -> {
                    seen.add(http);
                    return new org.springframework.http.client.reactive.ReactorClientHttpConnector(
                            http.headers(h -> h.add("X-From-Connector", "1")));
                }).build()) {
            assertThat(fal.status("fal-ai/flux", "r3", false)).isEqualTo(new Queued(2));
        }
        // one connector per connection pool: calls, and status streams
        assertThat(seen).hasSize(2);
        wm.getWireMock().verifyThat(1, getRequestedFor(urlPathEqualTo(requestPath("fal-ai/flux", "r3") + "/status"))
                .withHeader("X-From-Customizer", equalTo("1"))
                .withHeader("X-From-Connector", equalTo("1")));
    }
}
