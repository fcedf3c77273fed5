package dev.falclient;

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
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;

/**
 * Money-safe edges of a request's life: a caller that goes away, a wait that runs out without a client timeout, a
 * client that closes, a submit reply with unusable URLs, a credential source that may block, a result that is not
 * JSON.
 */
@WireMockTest
class SubmitLifecycleTests {

    private static final String APP = "fal-ai/flux";
    private static final String ID = "req-l";
    private static final String SUBMIT = QUEUE + "/" + APP;
    private static final String CANCEL = requestPath(APP, ID) + "/cancel";

    @Test
    void aSubscribeDisposedBeforeItsSubmitIsSentSendsNothing(WireMockRuntimeInfo wm) throws Exception {
        stubFor(submitStub(wm, APP, APP, ID));
        CountDownLatch keyRequested = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // a vault that answers slowly holds the submit before anything is written
        try (AsyncFalClient fal = asyncBuilder(wm).credentials(() -> {
            keyRequested.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> release.getCount() == 0);
            return KEY;
        }).build()) {
            Disposable subscription = fal.subscribe(APP, Map.of("prompt", "x"))
                    .subscribeOn(Schedulers.boundedElastic()).subscribe();
            assertThat(keyRequested.await(5, TimeUnit.SECONDS)).isTrue();
            subscription.dispose();
            release.countDown();
            await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                    wm.getWireMock().verifyThat(0, postRequestedFor(urlPathEqualTo(SUBMIT))));
        }
    }

    @Test
    void aSubmitDisposedInFlightIsReportedAndCancelledOnceAccepted(WireMockRuntimeInfo wm) {
        stubFor(post(urlPathEqualTo(SUBMIT)).willReturn(okJson(submitReply(wm, APP, ID)).withFixedDelay(1000)));
        stubFor(put(urlPathEqualTo(CANCEL)).willReturn(json(202, "{\"status\":\"CANCELLATION_REQUESTED\"}")));
        List<String> events = new CopyOnWriteArrayList<>();
        FalRequestListener listener = new FalRequestListener() {
            @Override
            public void onSubmitted(FalRequest request) {
                events.add("submitted " + request.requestId());
            }

            @Override
            public void onCancelled(FalRequest request) {
                events.add("cancelled " + request.requestId());
            }
        };
        try (AsyncFalClient fal = asyncBuilder(wm).listener(listener).build()) {
            Disposable subscription = fal.submit(APP, Map.of()).subscribe();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(SUBMIT))));
            subscription.dispose();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(events).containsExactly("submitted " + ID, "cancelled " + ID);
                wm.getWireMock().verifyThat(1, putRequestedFor(urlPathEqualTo(CANCEL)));
            });
        }
    }

    @Test
    void aSubscribeThatOutlivesTheWaitTimeoutStopsWaitingButNeverCancels(WireMockRuntimeInfo wm) {
        stubFor(submitStub(wm, APP, APP, ID));
        stubFor(statusStub(APP, ID).willReturn(okJson(queued(1))));
        stubFor(put(urlPathEqualTo(CANCEL)).willReturn(json(202, "{\"status\":\"CANCELLATION_REQUESTED\"}")));
        try (FalClient fal = builder(wm).waitTimeout(Duration.ofMillis(500)).build()) {
            assertThatThrownBy(() -> fal.subscribe(APP, Map.of()))
                    .isInstanceOfSatisfying(FalTimeoutException.class, e -> {
                        assertThat(e.requestId()).contains(ID);
                        assertThat(e.getMessage()).contains("not cancelled");
                    });
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                    wm.getWireMock().verifyThat(0, putRequestedFor(urlPathEqualTo(CANCEL))));
        }
    }

    @Test
    void watchAndIterEventsAreBoundedByTheWaitTimeout(WireMockRuntimeInfo wm) {
        stubFor(statusStub(APP, ID).willReturn(okJson(queued(1))));
        try (FalClient fal = builder(wm).waitTimeout(Duration.ofMillis(400)).build()) {
            SyncRequestHandle handle = fal.handle(APP, ID);
            assertThatThrownBy(() -> handle.iterEvents(false, Duration.ofMillis(20)).forEach(status -> { }))
                    .isInstanceOfSatisfying(FalTimeoutException.class,
                            e -> assertThat(e.requestId()).contains(ID));
            assertThatThrownBy(() -> handle.async().watch(false).blockLast(Duration.ofSeconds(5)))
                    .isInstanceOf(FalTimeoutException.class);
        }
    }

    @Test
    void closingTheClientEndsOpenWaitsWithAnErrorNamingTheRequest(WireMockRuntimeInfo wm) {
        stubFor(statusStub(APP, ID).willReturn(okJson(queued(1))));
        AsyncFalClient fal = asyncBuilder(wm).build();
        AtomicReference<Throwable> ended = new AtomicReference<>();
        fal.handle(APP, ID).watch(false).subscribe(status -> { }, ended::set);
        fal.handle(APP, ID).get().subscribe(result -> { }, error -> { });
        await().atMost(Duration.ofSeconds(5)).until(() -> wm.getWireMock().find(
                com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                        urlPathEqualTo(requestPath(APP, ID) + "/status"))).size() >= 2);
        fal.close();
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(ended.get())
                .isInstanceOf(FalException.class).hasMessageContaining(ID).hasMessageContaining("closed"));
        assertThat(((FalException) ended.get()).requestId()).contains(ID);
    }

    @Test
    void aMalformedStatusUrlInTheSubmitReplyIsReplacedNotThrown(WireMockRuntimeInfo wm) {
        String base = wm.getHttpBaseUrl() + requestPath(APP, ID);
        stubFor(post(urlPathEqualTo(SUBMIT)).willReturn(okJson("{\"request_id\":\"" + ID + "\","
                + "\"status_url\":\"" + base + "/status?x=%zz|<>\",\"response_url\":\"" + base + "\","
                + "\"cancel_url\":\"" + base + "/cancel\"}")));
        stubFor(statusStub(APP, ID).willReturn(okJson(queued(0))));
        try (FalClient fal = builder(wm).build()) {
            SyncRequestHandle handle = fal.submit(APP, Map.of());
            assertThat(handle.request().statusUrl()).isEqualTo(base + "/status");
            assertThat(handle.status()).isEqualTo(new Queued(0));
        }
    }

    @Test
    void theCredentialSourceIsNeverReadOnAnEventLoopOrTimerThread(WireMockRuntimeInfo wm) {
        stubFor(submitStub(wm, APP, APP, ID));
        stubFor(statusStub(APP, ID).inScenario("s").whenScenarioStateIs("Started").willSetStateTo("1")
                .willReturn(json(503, "busy")));
        stubFor(statusStub(APP, ID).inScenario("s").whenScenarioStateIs("1").willSetStateTo("2")
                .willReturn(okJson(queued(1))));
        stubFor(statusStub(APP, ID).inScenario("s").whenScenarioStateIs("2").willReturn(okJson(completed())));
        stubFor(resultStub(APP, ID).willReturn(okJson("{\"ok\":true}")));
        List<String> threads = new CopyOnWriteArrayList<>();
        try (FalClient fal = builder(wm).credentials(() -> {
            threads.add(Thread.currentThread().getName());
            return KEY;
        }).build()) {
            assertThat(fal.subscribe(APP, Map.of()).get("ok").asBoolean()).isTrue();
        }
        assertThat(threads).hasSizeGreaterThanOrEqualTo(5)
                .noneMatch(name -> name.startsWith("reactor-http") || name.startsWith("parallel"));
    }

    @Test
    void aResultThatIsNotJsonCanBeFetchedAsBytesOrText(WireMockRuntimeInfo wm) {
        stubFor(statusStub(APP, ID).willReturn(okJson(completed())));
        stubFor(resultStub(APP, ID).willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                .withStatus(200).withHeader("Content-Type", "text/plain").withBody("plain words")));
        try (FalClient fal = builder(wm).build()) {
            assertThat(fal.handle(APP, ID).get(String.class)).isEqualTo("plain words");
            assertThat(fal.result(APP, ID, byte[].class)).isEqualTo("plain words".getBytes());
            assertThatThrownBy(() -> fal.result(APP, ID)).isInstanceOf(FalResponseException.class);
        }
    }

    @Test
    void statsReadsTheCredentialSourceOnce(WireMockRuntimeInfo wm) {
        java.util.concurrent.atomic.AtomicInteger lookups = new java.util.concurrent.atomic.AtomicInteger();
        try (FalClient fal = builder(wm).credentials(() -> {
            lookups.incrementAndGet();
            return KEY;
        }).build()) {
            FalClientStats stats = fal.stats();
            assertThat(stats.credentialSource()).contains("supplier");
            assertThat(lookups).hasValue(1);
        }
    }
}
