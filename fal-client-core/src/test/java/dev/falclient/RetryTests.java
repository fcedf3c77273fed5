package dev.falclient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.falclient.FalTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which failures are retried, how often, and how long the client waits. */
@WireMockTest
class RetryTests {

    private static final String APP = "fal-ai/flux";
    private static final String ID = "req-r";
    private static final String STATUS = requestPath(APP, ID) + "/status";
    private static final String SUBMIT = QUEUE + "/" + APP;

    private static ResponseDefinitionBuilder error(int status) {
        return json(status, "{\"detail\":\"fail " + status + "\"}");
    }

    private static ResponseDefinitionBuilder ingress(int status) {
        return aResponse().withStatus(status).withHeader("Content-Type", "text/html")
                .withBody("<html><body><h1>" + status + "</h1><hr>nginx</body></html>");
    }

    /** The first call answers {@code first}, every later call {@code then}. */
    private static void firstThen(MappingBuilder first, MappingBuilder then) {
        stubFor(first.inScenario("retry").whenScenarioStateIs(STARTED).willSetStateTo("recovered"));
        stubFor(then.inScenario("retry").whenScenarioStateIs("recovered"));
    }

    private static void statusFailsOnceWith(ResponseDefinitionBuilder failure) {
        firstThen(statusStub(APP, ID).willReturn(failure), statusStub(APP, ID).willReturn(okJson(queued(4))));
    }

    private static void submitFailsOnceWith(WireMockRuntimeInfo wm, ResponseDefinitionBuilder failure) {
        firstThen(post(urlPathEqualTo(SUBMIT)).willReturn(failure),
                post(urlPathEqualTo(SUBMIT)).willReturn(okJson(submitReply(wm, APP, ID))));
    }

    private static int statusCalls(WireMockRuntimeInfo wm) {
        return wm.getWireMock().find(getRequestedFor(urlPathEqualTo(STATUS))).size();
    }

    private static int submitCalls(WireMockRuntimeInfo wm) {
        return wm.getWireMock().find(postRequestedFor(urlPathEqualTo(SUBMIT))).size();
    }

    // ---- idempotent GETs -----------------------------------------------------------------------------------------

    @ParameterizedTest(name = "GET retried after {0}")
    @ValueSource(ints = {408, 409, 429})
    void statusRetriedOnTransientCodes(int code, WireMockRuntimeInfo wm) {
        statusFailsOnceWith(error(code).withHeader("x-fal-request-id", ID));
        try (FalClient fal = builder(wm).maxAttempts(3).build()) {
            assertThat(fal.status(APP, ID, false)).isEqualTo(new Queued(4));
            assertThat(fal.stats().succeeded()).isEqualTo(1);
            assertThat(fal.stats().failed()).isZero();
        }
        assertThat(statusCalls(wm)).isEqualTo(2);
    }

    @ParameterizedTest(name = "GET retried after ingress {0}")
    @ValueSource(ints = {502, 503, 504})
    void statusRetriedOnIngressErrors(int code, WireMockRuntimeInfo wm) {
        statusFailsOnceWith(ingress(code));
        try (FalClient fal = builder(wm).maxAttempts(3).build()) {
            assertThat(fal.status(APP, ID, false)).isEqualTo(new Queued(4));
        }
        assertThat(statusCalls(wm)).isEqualTo(2);
    }

    @ParameterizedTest(name = "GET not retried after {0}")
    @ValueSource(ints = {400, 401, 403, 404, 422, 500})
    void statusNotRetriedOnPermanentCodes(int code, WireMockRuntimeInfo wm) {
        statusFailsOnceWith(error(code));
        try (FalClient fal = builder(wm).maxAttempts(5).build()) {
            assertThatThrownBy(() -> fal.status(APP, ID, false))
                    .isInstanceOfSatisfying(FalHttpException.class, e -> assertThat(e.statusCode()).isEqualTo(code));
        }
        assertThat(statusCalls(wm)).isEqualTo(1);
    }

    @Test
    void statusNotRetriedOn503FromFal(WireMockRuntimeInfo wm) {
        statusFailsOnceWith(json(503, "{\"detail\":\"runner gone\",\"error_type\":\"runner_disconnected\"}")
                .withHeader("x-fal-request-id", ID));
        try (FalClient fal = builder(wm).maxAttempts(5).build()) {
            assertThatThrownBy(() -> fal.status(APP, ID, false))
                    .isInstanceOfSatisfying(FalHttpException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(503);
                        assertThat(e.errorType()).isEqualTo("runner_disconnected");
                    });
        }
        assertThat(statusCalls(wm)).isEqualTo(1);
    }

    @Test
    void userStartTimeout504IsNeverRetried(WireMockRuntimeInfo wm) {
        statusFailsOnceWith(json(504, "{\"detail\":\"start timeout\",\"error_type\":\"startup_timeout\"}")
                .withHeader("X-Fal-Request-Timeout-Type", "user"));
        try (FalClient fal = builder(wm).maxAttempts(5).build()) {
            assertThatThrownBy(() -> fal.status(APP, ID, false))
                    .isInstanceOfSatisfying(FalHttpException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(504);
                        assertThat(e.isUserTimeout()).isTrue();
                    });
        }
        assertThat(statusCalls(wm)).isEqualTo(1);
    }

    @Test
    void attemptsAreCappedAtMaxAttempts(WireMockRuntimeInfo wm) {
        stubFor(statusStub(APP, ID).willReturn(ingress(503)));
        try (FalClient fal = builder(wm).maxAttempts(3).build()) {
            assertThatThrownBy(() -> fal.status(APP, ID, false))
                    .isInstanceOfSatisfying(FalHttpException.class, e -> assertThat(e.statusCode()).isEqualTo(503));
            assertThat(fal.stats().failed()).isEqualTo(1);
            assertThat(fal.stats().lastFailureStatus()).hasValue(503);
        }
        assertThat(statusCalls(wm)).isEqualTo(3);
    }

    @ParameterizedTest(name = "maxAttempts({0}) disables retries")
    @ValueSource(ints = {0, 1})
    void maxAttemptsOneOrZeroDisablesRetries(int attempts, WireMockRuntimeInfo wm) {
        stubFor(statusStub(APP, ID).willReturn(error(429)));
        try (FalClient fal = builder(wm).maxAttempts(attempts).build()) {
            assertThatThrownBy(() -> fal.status(APP, ID, false)).isInstanceOf(FalRateLimitException.class);
        }
        assertThat(statusCalls(wm)).isEqualTo(1);
    }

    @Test
    void negativeMaxAttemptsRejected() {
        assertThatThrownBy(() -> FalClient.builder().maxAttempts(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void retryAfterIsHonoured(WireMockRuntimeInfo wm) {
        statusFailsOnceWith(error(429).withHeader("Retry-After", "1"));
        try (FalClient fal = builder(wm).maxAttempts(3).build()) {
            long start = System.nanoTime();
            assertThat(fal.status(APP, ID, false)).isEqualTo(new Queued(4));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        }
        assertThat(statusCalls(wm)).isEqualTo(2);
    }

    @ParameterizedTest(name = "GET retried after {0}")
    @ValueSource(strings = {"CONNECTION_RESET_BY_PEER", "EMPTY_RESPONSE"})
    void statusRetriedOnConnectionFaults(String fault, WireMockRuntimeInfo wm) {
        statusFailsOnceWith(aResponse().withFault(Fault.valueOf(fault)));
        try (FalClient fal = builder(wm).maxAttempts(3).build()) {
            assertThat(fal.status(APP, ID, false)).isEqualTo(new Queued(4));
        }
        assertThat(statusCalls(wm)).isEqualTo(2);
    }

    @Test
    void readTimeoutOnGetIsRetriedThenFails(WireMockRuntimeInfo wm) {
        // every answer would come far too late: only the response timeout can end an attempt
        stubFor(statusStub(APP, ID).willReturn(okJson(queued(1)).withFixedDelay(5_000)));
        try (FalClient fal = builder(wm).maxAttempts(2).responseTimeout(Duration.ofMillis(300))
                .callTimeout(Duration.ofSeconds(30)).build()) {
            assertThatThrownBy(() -> fal.status(APP, ID, false))
                    .isInstanceOfSatisfying(FalTransportException.class, e -> {
                        assertThat(e.possiblySubmitted()).isFalse();
                        assertThat(e.requestId()).contains(ID);
                        assertThat(e.getMessage()).contains("Network failure during the status call")
                                .contains("ReadTimeout");
                    });
        }
        // the two attempts, not the call's deadline, ended the call
        await("two status attempts", PATIENCE, () -> statusCalls(wm) == 2);
        awaitSettled("no third attempt", Duration.ofMillis(300), () -> statusCalls(wm));
        assertThat(statusCalls(wm)).isEqualTo(2);
    }

    // ---- non-idempotent submit POSTs -----------------------------------------------------------------------------

    @Test
    void submitRetriedOn429(WireMockRuntimeInfo wm) {
        submitFailsOnceWith(wm, error(429).withHeader("x-fal-request-id", "rejected"));
        try (FalClient fal = builder(wm).maxAttempts(3).build()) {
            assertThat(fal.submit(APP, Map.of("p", 1)).requestId()).isEqualTo(ID);
        }
        wm.getWireMock().verifyThat(2, postRequestedFor(urlPathEqualTo(SUBMIT)).withRequestBody(equalToJson("{\"p\":1}")));
    }

    @Test
    void submitRetriedOnIngress503(WireMockRuntimeInfo wm) {
        submitFailsOnceWith(wm, ingress(503));
        try (FalClient fal = builder(wm).maxAttempts(3).build()) {
            assertThat(fal.submit(APP, Map.of("p", 1)).requestId()).isEqualTo(ID);
        }
        assertThat(submitCalls(wm)).isEqualTo(2);
    }

    @Test
    void submitNotRetriedOn503FromFal(WireMockRuntimeInfo wm) {
        submitFailsOnceWith(wm, error(503).withHeader("x-fal-request-id", "x"));
        try (FalClient fal = builder(wm).maxAttempts(3).build()) {
            assertThatThrownBy(() -> fal.submit(APP, Map.of()))
                    .isInstanceOfSatisfying(FalHttpException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(503);
                        assertThat(e.possiblySubmitted()).isFalse();
                    });
        }
        assertThat(submitCalls(wm)).isEqualTo(1);
    }

    @ParameterizedTest(name = "submit not retried after ingress {0}")
    @ValueSource(ints = {502, 504})
    void submitNotRetriedOnAmbiguousGatewayErrors(int code, WireMockRuntimeInfo wm) {
        submitFailsOnceWith(wm, ingress(code));
        try (FalClient fal = builder(wm).maxAttempts(3).build()) {
            assertThatThrownBy(() -> fal.submit(APP, Map.of()))
                    .isInstanceOfSatisfying(FalHttpException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(code);
                        assertThat(e.possiblySubmitted()).isTrue();
                        assertThat(e.getMessage()).contains("may have been submitted");
                    });
        }
        assertThat(submitCalls(wm)).isEqualTo(1);
    }

    @ParameterizedTest(name = "submit retried after ingress {0} when allowed")
    @ValueSource(ints = {502, 504})
    void submitRetriedOnAmbiguousGatewayErrorsWhenAllowed(int code, WireMockRuntimeInfo wm) {
        submitFailsOnceWith(wm, ingress(code));
        try (FalClient fal = builder(wm).maxAttempts(3).retryAmbiguousSubmits(true).build()) {
            assertThat(fal.submit(APP, Map.of()).requestId()).isEqualTo(ID);
        }
        assertThat(submitCalls(wm)).isEqualTo(2);
    }

    @Test
    void runNotRetriedOnAmbiguousGatewayError(WireMockRuntimeInfo wm) {
        stubFor(post(urlPathEqualTo(RUN + "/" + APP)).willReturn(ingress(504)));
        try (FalClient fal = builder(wm).maxAttempts(3).build()) {
            assertThatThrownBy(() -> fal.run(APP, Map.of()))
                    .isInstanceOfSatisfying(FalHttpException.class, e -> assertThat(e.possiblySubmitted()).isTrue());
        }
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(RUN + "/" + APP)));
    }

    @Test
    void submitNotRetriedOnReadTimeout(WireMockRuntimeInfo wm) {
        stubFor(post(urlPathEqualTo(SUBMIT)).willReturn(okJson(submitReply(wm, APP, ID)).withFixedDelay(1000)));
        try (FalClient fal = builder(wm).maxAttempts(3).responseTimeout(Duration.ofMillis(250)).build()) {
            assertThatThrownBy(() -> fal.submit(APP, Map.of()))
                    .isInstanceOfSatisfying(FalException.class, e -> {
                        assertThat(e).isNotInstanceOf(FalHttpException.class);
                        assertThat(e.possiblySubmitted()).isTrue();
                        assertThat(e.getMessage()).contains("may have been submitted");
                    });
        }
        // a retry would follow the 250 ms timeout within 50 ms of backoff
        Awaitility.await().during(Duration.ofMillis(1_500)).atMost(PATIENCE)
                .untilAsserted(() -> assertThat(submitCalls(wm)).isEqualTo(1));
    }

    @Test
    void submitNotRetriedWhenTheConnectionIsResetAfterSending(WireMockRuntimeInfo wm) {
        submitFailsOnceWith(wm, aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        try (FalClient fal = builder(wm).maxAttempts(3).build()) {
            assertThatThrownBy(() -> fal.submit(APP, Map.of()))
                    .isInstanceOfSatisfying(FalException.class, e -> assertThat(e.possiblySubmitted()).isTrue());
        }
        assertThat(submitCalls(wm)).isEqualTo(1);
    }

    @Test
    void postRetriedOnConnectionRefused() {
        int port = closedPort();
        AtomicInteger connects = new AtomicInteger();
        try (FalClient fal = FalClient.builder().key(KEY)
                .runUrl("http://127.0.0.1:" + port + "/gateway/run")
                .queueUrl("http://127.0.0.1:" + port + "/gateway/queue")
                .initialBackoff(Duration.ofMillis(10)).maxBackoff(Duration.ofMillis(20))
                .maxAttempts(3)
                .httpClient(http -> http.doOnConnect(config -> connects.incrementAndGet()))
                .build()) {
            assertThatThrownBy(() -> fal.run(APP, Map.of("p", 1)))
                    .isInstanceOfSatisfying(FalException.class, e -> {
                        assertThat(e).isNotInstanceOf(FalHttpException.class);
                        assertThat(e.getMessage()).contains("Could not reach");
                        assertThat(e.possiblySubmitted()).isFalse();
                    });
            assertThat(connects).hasValue(3);
            connects.set(0);
            assertThatThrownBy(() -> fal.submit(APP, Map.of())).isInstanceOf(FalException.class)
                    .hasMessageContaining("Could not reach");
            assertThat(connects).hasValue(3);
        }
    }
}
