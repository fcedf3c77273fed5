package dev.falclient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.falclient.FalTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rows of the README's retry table that no other test covered: cancel (PUT) retries, submit and run POSTs answered
 * 408 or 409, {@code maxAttempts(1)} on POST and PUT, and calls that never got a pooled connection.
 */
@WireMockTest
class RetryRuleCoverageTests {

    private static final String APP = "fal-ai/flux";
    private static final String ID = "req-rc";
    private static final String CANCEL = requestPath(APP, ID) + "/cancel";
    private static final String SUBMIT = QUEUE + "/" + APP;
    private static final String RUN_PATH = RUN + "/" + APP;
    /** Far longer than any test here runs: the slow call holds its connection until the client is closed. */
    private static final int HOLD_MS = 30_000;

    /** The failure a call answers first, by name. */
    private static ResponseDefinitionBuilder failure(String name) {
        return switch (name) {
            case "429" -> json(429, "{\"detail\":\"Too many requests\"}").withHeader("x-fal-request-id", ID);
            case "ingress 503" -> aResponse().withStatus(503).withHeader("Content-Type", "text/html")
                    .withBody("<html><body><h1>503 Service Temporarily Unavailable</h1><hr>nginx</body></html>");
            case "connection reset" -> aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER);
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static ResponseDefinitionBuilder cancelAccepted() {
        return json(202, "{\"status\":\"CANCELLATION_REQUESTED\"}");
    }

    /** The first call answers {@code first}, every later call {@code then}. */
    private static void firstThen(MappingBuilder first, MappingBuilder then) {
        stubFor(first.inScenario("retry").whenScenarioStateIs(STARTED).willSetStateTo("recovered"));
        stubFor(then.inScenario("retry").whenScenarioStateIs("recovered"));
    }

    private static int cancelCalls(WireMockRuntimeInfo wm) {
        return wm.getWireMock().find(putRequestedFor(urlPathEqualTo(CANCEL))).size();
    }

    private static int submitCalls(WireMockRuntimeInfo wm) {
        return wm.getWireMock().find(postRequestedFor(urlPathEqualTo(SUBMIT))).size();
    }

    // ---- cancel (PUT) --------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "cancel retried after {0}")
    @ValueSource(strings = {"429", "ingress 503", "connection reset"})
    void cancelIsRetried(String first, WireMockRuntimeInfo wm) {
        firstThen(put(urlPathEqualTo(CANCEL)).willReturn(failure(first)),
                put(urlPathEqualTo(CANCEL)).willReturn(cancelAccepted()));
        List<String> cancelled = new CopyOnWriteArrayList<>();
        try (FalClient fal = builder(wm).maxAttempts(3).listener(new FalRequestListener() {
            @Override
            public void onCancelled(FalRequest request) {
                cancelled.add(request.requestId());
            }
        }).build()) {
            assertThatCode(() -> fal.cancel(APP, ID)).doesNotThrowAnyException();
            assertThat(fal.stats().succeeded()).isEqualTo(1);
            assertThat(fal.stats().failed()).isZero();
            await("onCancelled", PATIENCE, () -> cancelled.contains(ID));
        }
        assertThat(cancelCalls(wm)).isEqualTo(2);
    }

    @Test
    void cancelRetriesStopAtMaxAttempts(WireMockRuntimeInfo wm) {
        stubFor(put(urlPathEqualTo(CANCEL)).willReturn(failure("ingress 503")));
        try (FalClient fal = builder(wm).maxAttempts(3).build()) {
            assertThatThrownBy(() -> fal.cancel(APP, ID))
                    .isInstanceOfSatisfying(FalHttpException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(503);
                        assertThat(e.requestId()).contains(ID);
                    });
        }
        assertThat(cancelCalls(wm)).isEqualTo(3);
    }

    // ---- submit and run (POST) answered 408 or 409 ---------------------------------------------------------------

    @ParameterizedTest(name = "{0} answered {1}, fal request id {2}: one POST")
    @CsvSource({"submit, 408, false", "submit, 408, true", "submit, 409, false", "submit, 409, true",
            "run, 408, false", "run, 408, true", "run, 409, false", "run, 409, true"})
    void aPostAnswered408Or409IsNotRetried(String call, int status, boolean withFalRequestId, WireMockRuntimeInfo wm) {
        String path = call.equals("submit") ? SUBMIT : RUN_PATH;
        stubFor(post(urlPathEqualTo(path)).willReturn(answer(status, withFalRequestId)));
        try (FalClient fal = builder(wm).maxAttempts(5).build()) {
            Map<String, String> input = Map.of("prompt", "x");
            assertThatThrownBy(() -> {
                if (call.equals("submit")) {
                    fal.submit(APP, input);
                } else {
                    fal.run(APP, input);
                }
            }).isInstanceOfSatisfying(FalHttpException.class, e -> {
                assertThat(e.statusCode()).isEqualTo(status);
                // fal answered, and not with a gateway 502/504: it did not take the request
                assertThat(e.possiblySubmitted()).isFalse();
                assertThat(e.getMessage()).doesNotContain("may have been submitted");
            });
        }
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(path)));
    }

    private static ResponseDefinitionBuilder answer(int status, boolean withFalRequestId) {
        ResponseDefinitionBuilder answer = json(status, "{\"detail\":\"answered " + status + "\"}");
        return withFalRequestId ? answer.withHeader("x-fal-request-id", "from-fal") : answer;
    }

    // ---- maxAttempts(1) on POST and PUT --------------------------------------------------------------------------

    @Test
    void maxAttemptsOneSendsASubmitOnceEvenWhenItWouldBeRetried(WireMockRuntimeInfo wm) {
        firstThen(post(urlPathEqualTo(SUBMIT)).willReturn(failure("429")),
                post(urlPathEqualTo(SUBMIT)).willReturn(okJson(submitReply(wm, APP, ID))));
        try (FalClient fal = builder(wm).maxAttempts(1).build()) {
            assertThatThrownBy(() -> fal.submit(APP, Map.of())).isInstanceOfSatisfying(FalRateLimitException.class,
                    e -> assertThat(e.possiblySubmitted()).isFalse());
        }
        assertThat(submitCalls(wm)).isOne();
    }

    @Test
    void maxAttemptsOneSendsARunOnceEvenWhenItWouldBeRetried(WireMockRuntimeInfo wm) {
        firstThen(post(urlPathEqualTo(RUN_PATH)).willReturn(failure("ingress 503")),
                post(urlPathEqualTo(RUN_PATH)).willReturn(okJson("{\"ok\":true}")));
        try (FalClient fal = builder(wm).maxAttempts(1).build()) {
            assertThatThrownBy(() -> fal.run(APP, Map.of()))
                    .isInstanceOfSatisfying(FalHttpException.class, e -> assertThat(e.statusCode()).isEqualTo(503));
        }
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(RUN_PATH)));
    }

    @ParameterizedTest(name = "maxAttempts(1): one cancel after {0}")
    @ValueSource(strings = {"429", "ingress 503", "connection reset"})
    void maxAttemptsOneSendsACancelOnce(String first, WireMockRuntimeInfo wm) {
        firstThen(put(urlPathEqualTo(CANCEL)).willReturn(failure(first)),
                put(urlPathEqualTo(CANCEL)).willReturn(cancelAccepted()));
        try (FalClient fal = builder(wm).maxAttempts(1).build()) {
            assertThatThrownBy(() -> fal.cancel(APP, ID)).isInstanceOfSatisfying(FalException.class,
                    e -> assertThat(e.requestId()).contains(ID));
        }
        assertThat(cancelCalls(wm)).isOne();
    }

    // ---- no pooled connection ------------------------------------------------------------------------------------

    /**
     * One connection, one place in the queue for it: a slow status call holds the connection, a second call waits
     * in the queue, and a submit behind them is refused by the pool. It is retried like a refused connection (fal
     * never saw it), refused again, and fails without ever being written, while the other two are still waiting.
     */
    @Test
    void aSubmitRefusedByAFullPoolFailsAsNeverSent(WireMockRuntimeInfo wm) {
        stubFor(statusStub(APP, "queued").willReturn(okJson(queued(1))));
        stubFor(submitStub(wm, APP, APP, ID));
        AtomicInteger written = new AtomicInteger();
        try (AsyncFalClient fal = countingWrites(asyncBuilder(wm), written).maxConnections(1).pendingAcquireMaxCount(1)
                .maxAttempts(3).build()) {
            CompletableFuture<Status> slow = holdTheOnlyConnection(fal, written);
            // subscribed from this thread, it takes the one place in the pool's queue before toFuture() returns
            CompletableFuture<Status> queued = fal.status(APP, "queued", false).toFuture();

            Throwable refused = catchThrowable(() -> fal.submit(APP, Map.of("prompt", "x")).block(PATIENCE));

            assertNeverSent(refused, "PoolAcquirePendingLimitException");
            // fast: decided while the connection is still held and the queued call still waits for it
            assertThat(slow).isNotDone();
            assertThat(queued).isNotDone();
            assertThat(written).hasValue(1);
        }
        assertThat(submitCalls(wm)).isZero();
    }

    /** A submit that waits longer than {@code pendingAcquireTimeout} for a connection is never sent either. */
    @Test
    void aSubmitThatWaitedTooLongForAConnectionFailsAsNeverSent(WireMockRuntimeInfo wm) {
        stubFor(submitStub(wm, APP, APP, ID));
        AtomicInteger written = new AtomicInteger();
        try (AsyncFalClient fal = countingWrites(asyncBuilder(wm), written).maxConnections(1)
                .pendingAcquireTimeout(Duration.ofMillis(200)).maxAttempts(2).build()) {
            CompletableFuture<Status> slow = holdTheOnlyConnection(fal, written);

            Throwable refused = catchThrowable(() -> fal.submit(APP, Map.of("prompt", "x")).block(PATIENCE));

            assertNeverSent(refused, "PoolAcquireTimeoutException");
            assertThat(slow).isNotDone();
            assertThat(written).hasValue(1);
        }
        assertThat(submitCalls(wm)).isZero();
    }

    /** The builder, counting the requests its client writes. */
    private static AsyncFalClient.Builder countingWrites(AsyncFalClient.Builder builder, AtomicInteger written) {
        return builder.httpClient(http -> http.doOnRequest((request, connection) -> written.incrementAndGet()));
    }

    /** Starts a status call whose answer comes long after the test: it holds the client's only connection. */
    private static CompletableFuture<Status> holdTheOnlyConnection(AsyncFalClient fal, AtomicInteger written) {
        stubFor(statusStub(APP, "slow").willReturn(okJson(queued(0)).withFixedDelay(HOLD_MS)));
        CompletableFuture<Status> slow = fal.status(APP, "slow", false).toFuture();
        await("the slow call to hold the only connection", PATIENCE, () -> written.get() == 1);
        return slow;
    }

    private static void assertNeverSent(Throwable refused, String poolFailure) {
        assertThat(refused).isInstanceOfSatisfying(FalTransportException.class, e -> {
            assertThat(e.possiblySubmitted()).isFalse();
            assertThat(e.getMessage()).startsWith("Could not reach fal for the submit").contains(poolFailure);
        });
    }
}
