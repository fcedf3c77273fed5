package dev.falclient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
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
import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Retry-After replaces the backoff and is never waited beyond the cap or the call's deadline; each call has a total
 * deadline; direct runs have their own, longer bound; unreadable GET answers are retried.
 */
@WireMockTest
class DeadlineAndRetryAfterTests {

    private static final String APP = "fal-ai/flux";
    private static final String ID = "req-d";
    private static final String STATUS = requestPath(APP, ID) + "/status";

    private static void statusFirstThen(ResponseDefinitionBuilder first, ResponseDefinitionBuilder then) {
        stubFor(statusStub(APP, ID).willReturn(first).inScenario("s").whenScenarioStateIs(STARTED)
                .willSetStateTo("then"));
        stubFor(statusStub(APP, ID).willReturn(then).inScenario("s").whenScenarioStateIs("then"));
    }

    private static int statusCalls(WireMockRuntimeInfo wm) {
        return wm.getWireMock().find(getRequestedFor(urlPathEqualTo(STATUS))).size();
    }

    @Test
    void retryAfterReplacesTheBackoffInsteadOfAddingToIt(WireMockRuntimeInfo wm) {
        statusFirstThen(json(429, "{\"detail\":\"slow down\"}").withHeader("Retry-After", "1"), okJson(queued(2)));
        // a 60 s backoff would show if the delays were added; the upper bound only has to stay below it
        try (FalClient fal = builder(wm).initialBackoff(Duration.ofSeconds(60)).maxBackoff(Duration.ofSeconds(60))
                .jitter(0).build()) {
            long start = System.nanoTime();
            assertThat(fal.status(APP, ID, false)).isEqualTo(new Queued(2));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(900),
                    Duration.ofSeconds(30));
        }
        assertThat(statusCalls(wm)).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"EEE, dd MMM yyyy HH:mm:ss 'GMT'", "EEEE, dd-MMM-yy HH:mm:ss 'GMT'",
            "EEE MMM dd HH:mm:ss yyyy"})
    void retryAfterAsAnyHttpDateIsHonoured(String format, WireMockRuntimeInfo wm) {
        String date = DateTimeFormatter.ofPattern(format, Locale.US)
                .format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(2));
        statusFirstThen(json(429, "{}").withHeader("Retry-After", date), okJson(queued(1)));
        try (FalClient fal = builder(wm).maxAttempts(2).build()) {
            long start = System.nanoTime();
            assertThat(fal.status(APP, ID, false)).isEqualTo(new Queued(1));
            // the date has second precision: at least the part of the 2 s that survives truncation
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(700));
        }
        assertThat(statusCalls(wm)).isEqualTo(2);
    }

    @Test
    void retryAfterBeyondTheCapFailsAtOnceWithTheServersValue(WireMockRuntimeInfo wm) {
        stubFor(post(urlPathEqualTo(QUEUE + "/" + APP)).willReturn(json(429, "{\"detail\":\"busy\"}")
                .withHeader("Retry-After", "36000")));
        try (FalClient fal = builder(wm).maxAttempts(5).maxRetryAfter(Duration.ofSeconds(60)).build()) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> fal.submit(APP, Map.of()))
                    .isInstanceOfSatisfying(FalRateLimitException.class, e ->
                            assertThat(e.retryAfter()).contains(Duration.ofSeconds(36000)));
            // only catches a wait: honouring the header would last until the 3 min call deadline
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        }
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(QUEUE + "/" + APP)));
    }

    @Test
    void retryAfterBeyondWhatIsLeftOfTheDeadlineFailsAtOnce(WireMockRuntimeInfo wm) {
        statusFirstThen(json(429, "{}").withHeader("Retry-After", "30"), okJson(queued(1)));
        try (FalClient fal = builder(wm).maxRetryAfter(Duration.ofMinutes(5)).callTimeout(Duration.ofSeconds(10))
                .build()) {
            // waiting would end in the 10 s deadline's FalTimeoutException instead
            assertThatThrownBy(() -> fal.status(APP, ID, false)).isInstanceOf(FalRateLimitException.class);
        }
        assertThat(statusCalls(wm)).isEqualTo(1);
    }

    @Test
    void aStalledServerIsBoundedByTheCallDeadlineNotByEveryAttempt(WireMockRuntimeInfo wm) {
        stubFor(statusStub(APP, ID).willReturn(okJson(queued(1)).withFixedDelay(10_000)));
        try (FalClient fal = builder(wm).maxAttempts(10).responseTimeout(Duration.ofMillis(400))
                .callTimeout(Duration.ofMillis(1500)).build()) {
            // ten attempts of 400 ms would end in a FalTransportException (read timeout); the call's own
            // deadline ends it with a FalTimeoutException naming that deadline
            assertThatThrownBy(() -> fal.status(APP, ID, false))
                    .isInstanceOfSatisfying(FalTimeoutException.class, e -> {
                        assertThat(e.requestId()).contains(ID);
                        assertThat(e.timeout()).isEqualTo(Duration.ofMillis(1500));
                        assertThat(e.possiblySubmitted()).isFalse();
                    });
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{\"status\":\"IN_QU", "<html>oops</html>"})
    void anUnreadableStatusAnswerIsRetriedLikeATransportFailure(String body, WireMockRuntimeInfo wm) {
        statusFirstThen(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body),
                okJson(queued(3)));
        try (FalClient fal = builder(wm).maxAttempts(3).build()) {
            assertThat(fal.status(APP, ID, false)).isEqualTo(new Queued(3));
        }
        assertThat(statusCalls(wm)).isEqualTo(2);
    }

    @Test
    void anAnswerThatStaysUnreadableFailsWithTheRequestId(WireMockRuntimeInfo wm) {
        stubFor(statusStub(APP, ID).willReturn(okJson("{broken")));
        try (FalClient fal = builder(wm).maxAttempts(3).build()) {
            assertThatThrownBy(() -> fal.status(APP, ID, false))
                    .isInstanceOfSatisfying(FalResponseException.class, e -> {
                        assertThat(e.requestId()).contains(ID);
                        assertThat(e.getMessage()).contains("malformed JSON");
                    });
        }
        assertThat(statusCalls(wm)).isEqualTo(3);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{\"request_id\":", "<html>accepted</html>"})
    void aSubmitAnsweredWithAnUnreadableBodyIsPossiblySubmittedAndNotResent(String body, WireMockRuntimeInfo wm) {
        stubFor(post(urlPathEqualTo(QUEUE + "/" + APP)).willReturn(aResponse().withStatus(200).withBody(body)));
        try (FalClient fal = builder(wm).maxAttempts(5).build()) {
            assertThatThrownBy(() -> fal.submit(APP, Map.of()))
                    .isInstanceOfSatisfying(FalResponseException.class,
                            e -> assertThat(e.possiblySubmitted()).isTrue());
        }
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(QUEUE + "/" + APP)));
    }

    @Test
    void aSubmitReplyTooLargeForMemoryIsPossiblySubmitted(WireMockRuntimeInfo wm) {
        stubFor(post(urlPathEqualTo(QUEUE + "/" + APP)).willReturn(okJson("{\"request_id\":\"x\",\"pad\":\""
                + "a".repeat(4096) + "\"}")));
        try (FalClient fal = builder(wm).maxInMemorySize(1024).build()) {
            assertThatThrownBy(() -> fal.submit(APP, Map.of()))
                    .isInstanceOfSatisfying(FalResponseException.class,
                            e -> assertThat(e.possiblySubmitted()).isTrue());
        }
    }

    @Test
    void aLongDirectRunOutlivesTheResponseTimeoutOfQueueCalls(WireMockRuntimeInfo wm) {
        stubFor(post(urlPathEqualTo(RUN + "/" + APP)).willReturn(okJson("{\"done\":true}").withFixedDelay(1500)
                .withHeader("x-fal-request-id", "run-1")));
        String[] seen = new String[1];
        try (FalClient fal = builder(wm).responseTimeout(Duration.ofMillis(500)).build()) {
            assertThat(fal.run(APP, Map.of(), RunOptions.builder().onRequestId(id -> seen[0] = id).build())
                    .get("done").asBoolean()).isTrue();
        }
        assertThat(seen[0]).isEqualTo("run-1");
    }

    @Test
    void aRunBeyondItsTimeoutFailsAsPossiblySubmittedAndIsNotResent(WireMockRuntimeInfo wm) {
        stubFor(post(urlPathEqualTo(RUN + "/" + APP)).willReturn(okJson("{}").withFixedDelay(5000)));
        try (FalClient fal = builder(wm).runTimeout(Duration.ofMillis(700)).build()) {
            assertThatThrownBy(() -> fal.run(APP, Map.of()))
                    .isInstanceOfSatisfying(FalTimeoutException.class, e -> {
                        assertThat(e.timeout()).isEqualTo(Duration.ofMillis(700));
                        assertThat(e.possiblySubmitted()).isTrue();
                    });
        }
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(RUN + "/" + APP)));
    }

    @Test
    void aRunErrorCarriesFalsRequestId(WireMockRuntimeInfo wm) {
        MappingBuilder run = post(urlPathEqualTo(RUN + "/" + APP));
        stubFor(run.willReturn(json(500, "{\"detail\":\"boom\"}").withHeader("x-fal-request-id", "run-2")));
        try (FalClient fal = builder(wm).build()) {
            assertThatThrownBy(() -> fal.run(APP, Map.of()))
                    .isInstanceOfSatisfying(FalHttpException.class, e -> assertThat(e.requestId()).contains("run-2"));
        }
    }
}
