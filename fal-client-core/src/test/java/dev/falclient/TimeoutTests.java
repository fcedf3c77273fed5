package dev.falclient;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
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
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Client deadlines: subscribe's clientTimeout, run's timeout, the wait bound of get(). */
@WireMockTest
class TimeoutTests {

    private static final String APP = "fal-ai/flux";
    private static final String ID = "req-t";
    private static final String CANCEL = requestPath(APP, ID) + "/cancel";

    private static int cancels(WireMockRuntimeInfo wm) {
        return wm.getWireMock().find(putRequestedFor(urlPathEqualTo(CANCEL))).size();
    }

    @Test
    void subscribeClientTimeoutCancelsAndCarriesRequestId(WireMockRuntimeInfo wm) {
        stubFor(submitStub(wm, APP, APP, ID));
        stubFor(statusStub(APP, ID).willReturn(okJson(queued(3))));
        stubFor(put(urlPathEqualTo(CANCEL)).willReturn(json(202, "{\"status\":\"CANCELLATION_REQUESTED\"}")));
        List<FalException> failures = new CopyOnWriteArrayList<>();
        List<FalRequest> cancelled = new CopyOnWriteArrayList<>();
        FalRequestListener listener = new FalRequestListener() {
            @Override
            public void onFailed(FalRequest request, FalException error) {
                failures.add(error);
            }

            @Override
            public void onCancelled(FalRequest request) {
                cancelled.add(request);
            }
        };
        try (FalClient fal = builder(wm).listener(listener).build()) {
            warmUp(fal);
            // the request stays queued: only the 400 ms client timeout (not the 10 s wait timeout) can end this
            assertThatThrownBy(() -> fal.subscribe(APP, Map.of("p", 1), SubscribeOptions.builder()
                    .clientTimeout(Duration.ofMillis(400)).build()))
                    .isInstanceOfSatisfying(FalTimeoutException.class, e -> {
                        assertThat(e.requestId()).contains(ID);
                        assertThat(e.timeout()).isEqualTo(Duration.ofMillis(400));
                        assertThat(e.getMessage()).contains(ID).contains("cancel");
                    });
            await("the cancel PUT", Duration.ofSeconds(3), () -> cancels(wm) == 1);
            await("onFailed", Duration.ofSeconds(3), () -> failures.size() == 1);
            assertThat(failures.get(0)).isInstanceOf(FalTimeoutException.class);
            await("onCancelled", Duration.ofSeconds(3), () -> cancelled.size() == 1);
        }
        wm.getWireMock().verifyThat(1, putRequestedFor(urlPathEqualTo(CANCEL))
                .withHeader("Authorization", equalTo("Key test-key")));
        // 400 ms is not more than one second: no start timeout was derived from it
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(QUEUE + "/" + APP))
                .withHeader("X-Fal-Request-Timeout", absent()));
    }

    @Test
    void deadlinePassingDuringSubmitCancelsOnceTheIdIsKnown(WireMockRuntimeInfo wm) {
        stubFor(post(urlPathEqualTo(QUEUE + "/" + APP))
                .willReturn(okJson(submitReply(wm, APP, ID)).withFixedDelay(2500)));
        stubFor(put(urlPathEqualTo(CANCEL)).willReturn(json(202, "{\"status\":\"CANCELLATION_REQUESTED\"}")));
        try (FalClient fal = builder(wm).build()) {
            warmUp(fal);
            assertThatThrownBy(() -> fal.subscribe(APP, Map.of(), SubscribeOptions.builder()
                    .clientTimeout(Duration.ofMillis(1500)).build()))
                    .isInstanceOfSatisfying(FalTimeoutException.class, e -> {
                        assertThat(e.requestId()).isEmpty();
                        assertThat(e.getMessage()).contains("submit");
                        assertThat(e.possiblySubmitted()).isTrue();
                    });
            await("the late cancel PUT", Duration.ofSeconds(4), () -> cancels(wm) == 1);
        }
        // the late submit is cancelled, never sent a second time
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(QUEUE + "/" + APP)));
    }

    @Test
    void clientTimeoutAboveOneSecondIsSentAsStartTimeout(WireMockRuntimeInfo wm) {
        stubFor(submitStub(wm, APP, APP, ID));
        stubFor(statusStub(APP, ID).willReturn(okJson(completed())));
        stubFor(resultStub(APP, ID).willReturn(okJson("{\"ok\":1}")));
        stubFor(post(urlPathEqualTo(QUEUE + "/fal-ai/explicit")).willReturn(okJson(submitReply(wm, APP, ID))));
        try (FalClient fal = builder(wm).build()) {
            assertThat(fal.subscribe(APP, Map.of(), SubscribeOptions.builder()
                    .clientTimeout(Duration.ofMillis(2500)).build()).get("ok").asInt()).isEqualTo(1);
            fal.subscribe("fal-ai/explicit", Map.of(), SubscribeOptions.builder()
                    .clientTimeout(Duration.ofSeconds(3)).startTimeout(Duration.ofSeconds(2)).build());
        }
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(QUEUE + "/" + APP))
                .withHeader("X-Fal-Request-Timeout", equalTo("2.5")));
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(QUEUE + "/fal-ai/explicit"))
                .withHeader("X-Fal-Request-Timeout", equalTo("2")));
        assertThat(cancels(wm)).isZero();
    }

    @Test
    void runTimeout(WireMockRuntimeInfo wm) {
        // without the 300 ms timeout the run would succeed after 5 s
        stubFor(post(urlPathEqualTo(RUN + "/" + APP)).willReturn(okJson("{}").withFixedDelay(5_000)));
        try (FalClient fal = builder(wm).build()) {
            assertThatThrownBy(() -> fal.run(APP, Map.of(), RunOptions.builder().timeout(Duration.ofMillis(300)).build()))
                    .isInstanceOfSatisfying(FalTimeoutException.class, e -> {
                        assertThat(e.timeout()).isEqualTo(Duration.ofMillis(300));
                        assertThat(e.getMessage()).contains(APP);
                    });
        }
    }

    @Test
    void runTimeoutAboveOneSecondIsSentAsStartTimeout(WireMockRuntimeInfo wm) {
        stubFor(post(urlPathEqualTo(RUN + "/" + APP)).willReturn(okJson("{\"a\":1}")));
        try (FalClient fal = builder(wm).build()) {
            fal.run(APP, Map.of(), RunOptions.builder().timeout(Duration.ofSeconds(90)).build());
        }
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(RUN + "/" + APP))
                .withHeader("X-Fal-Request-Timeout", equalTo("90")));
    }

    @Test
    void getIsBoundedByTheWaitTimeoutAndDoesNotCancel(WireMockRuntimeInfo wm) {
        stubFor(statusStub(APP, ID).willReturn(okJson(queued(9))));
        stubFor(put(urlPathEqualTo(CANCEL)).willReturn(json(202, "{\"status\":\"CANCELLATION_REQUESTED\"}")));
        try (FalClient fal = builder(wm).waitTimeout(Duration.ofMillis(300)).build()) {
            assertThatThrownBy(() -> fal.handle(APP, ID).get())
                    .isInstanceOfSatisfying(FalTimeoutException.class, e -> {
                        assertThat(e.requestId()).contains(ID);
                        assertThat(e.timeout()).isEqualTo(Duration.ofMillis(300));
                        // get() only stops waiting; it must not claim (or do) a cancel
                        assertThat(e.getMessage()).doesNotContain("asked fal to cancel");
                    });
            Awaitility.await().during(Duration.ofMillis(300)).atMost(PATIENCE)
                    .untilAsserted(() -> assertThat(cancels(wm)).isZero());
        }
    }

    /**
     * The first call of a JVM loads Netty and WebClient (a second or more on a loaded machine): make it before a
     * deadline that must pass while a call is in flight, not before it starts.
     */
    private static void warmUp(FalClient fal) {
        stubFor(statusStub(APP, "warm-up").willReturn(okJson(queued(0))));
        fal.status(APP, "warm-up", false);
    }
}
