package dev.falclient;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.falclient.FalTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every status shape fal sends, read through a real status call. */
@WireMockTest
class StatusParsingTests {

    private static final String APP = "fal-ai/flux";
    private static final String ID = "req-s";

    private Status statusFor(WireMockRuntimeInfo wm, String body) {
        stubFor(statusStub(APP, ID).willReturn(okJson(body)));
        try (FalClient fal = builder(wm).maxAttempts(1).build()) {
            return fal.status(APP, ID, true);
        }
    }

    @Test
    void queuedWithPosition(WireMockRuntimeInfo wm) {
        assertThat(statusFor(wm, "{\"status\":\"IN_QUEUE\",\"queue_position\":7,\"request_id\":\"req-s\","
                + "\"response_url\":\"x\"}")).isEqualTo(new Queued(7));
    }

    @Test
    void queuedWithoutPositionIsZero(WireMockRuntimeInfo wm) {
        assertThat(statusFor(wm, "{\"status\":\"IN_QUEUE\"}")).isEqualTo(new Queued(0));
    }

    @Test
    void inProgressWithNullLogs(WireMockRuntimeInfo wm) {
        assertThat(statusFor(wm, "{\"status\":\"IN_PROGRESS\",\"logs\":null}"))
                .isInstanceOfSatisfying(InProgress.class, p -> assertThat(p.logs()).isNotNull().isEmpty());
    }

    @Test
    void inProgressWithoutLogsField(WireMockRuntimeInfo wm) {
        assertThat(statusFor(wm, "{\"status\":\"IN_PROGRESS\"}"))
                .isInstanceOfSatisfying(InProgress.class, p -> assertThat(p.logs()).isNotNull().isEmpty());
    }

    @Test
    void inProgressWithFlatAndNestedLogShapes(WireMockRuntimeInfo wm) {
        Status s = statusFor(wm, "{\"status\":\"IN_PROGRESS\",\"logs\":["
                + "{\"message\":\"flat\",\"level\":\"STDERR\",\"source\":\"USER\",\"timestamp\":\"2025-01-01T00:00:00Z\"},"
                + "{\"message\":\"nested\",\"labels\":{\"level\":\"WARN\",\"source\":\"RUNNER\"},\"timestamp\":\"t2\"},"
                + "{\"message\":\"bare\",\"labels\":{}},"
                + "{\"message\":\"{\\\"traceback\\\": \\\"boom\\\"}\"}]}");
        assertThat(s).isInstanceOfSatisfying(InProgress.class, p -> assertThat(p.logs()).containsExactly(
                new RequestLog("flat", "STDERR", "USER", "2025-01-01T00:00:00Z"),
                new RequestLog("nested", "WARN", "RUNNER", "t2"),
                new RequestLog("bare", "", "", ""),
                new RequestLog("{\"traceback\": \"boom\"}", "", "", "")));
    }

    @Test
    void completedWithMetrics(WireMockRuntimeInfo wm) {
        assertThat(statusFor(wm, "{\"status\":\"COMPLETED\",\"logs\":[{\"message\":\"done\"}],"
                + "\"metrics\":{\"inference_time\":0.5,\"tokens\":12}}"))
                .isInstanceOfSatisfying(Completed.class, c -> {
                    assertThat(c.failed()).isFalse();
                    assertThat(c.error()).isNull();
                    assertThat(c.errorType()).isNull();
                    assertThat(c.metrics()).containsEntry("inference_time", 0.5).containsEntry("tokens", 12);
                    assertThat(c.logs()).extracting(RequestLog::message).containsExactly("done");
                });
    }

    @Test
    void completedWithoutMetricsOrLogs(WireMockRuntimeInfo wm) {
        assertThat(statusFor(wm, "{\"status\":\"COMPLETED\"}")).isInstanceOfSatisfying(Completed.class, c -> {
            assertThat(c.metrics()).isNotNull().isEmpty();
            assertThat(c.logs()).isNotNull().isEmpty();
            assertThat(c.failed()).isFalse();
        });
    }

    @Test
    void completedWithNullInferenceTime(WireMockRuntimeInfo wm) {
        assertThat(statusFor(wm, "{\"status\":\"COMPLETED\",\"metrics\":{\"inference_time\":null}}"))
                .isInstanceOfSatisfying(Completed.class, c -> assertThat(c.metrics()).containsKey("inference_time"));
    }

    @Test
    void completedWithError(WireMockRuntimeInfo wm) {
        assertThat(statusFor(wm, "{\"status\":\"COMPLETED\",\"metrics\":{},\"error\":\"Runner disconnected\","
                + "\"error_type\":\"runner_disconnected\"}")).isInstanceOfSatisfying(Completed.class, c -> {
                    assertThat(c.failed()).isTrue();
                    assertThat(c.error()).isEqualTo("Runner disconnected");
                    assertThat(c.errorType()).isEqualTo("runner_disconnected");
                });
    }

    @Test
    void unknownStatusFailsWithoutLooping(WireMockRuntimeInfo wm) {
        stubFor(statusStub(APP, ID).willReturn(okJson("{\"status\":\"FAILED\"}")));
        try (FalClient fal = builder(wm).build()) {
            assertThatThrownBy(() -> fal.status(APP, ID, false))
                    .isInstanceOfSatisfying(FalException.class,
                            e -> assertThat(e.requestId()).contains(ID))
                    .hasMessageContaining("FAILED");
            // a wait that kept polling would end in a FalTimeoutException after the wait timeout instead
            assertThatThrownBy(() -> fal.handle(APP, ID).get()).isInstanceOf(FalResponseException.class)
                    .hasMessageContaining("unknown status");
            assertThatThrownBy(() -> fal.handle(APP, ID).iterEvents(false, Duration.ofMillis(20)).toList())
                    .isInstanceOf(FalResponseException.class).hasMessageContaining("unknown status");
        }
        // not retried, not polled forever: one call per attempt above
        wm.getWireMock().verifyThat(3, getRequestedFor(urlPathEqualTo(requestPath(APP, ID) + "/status")));
    }

    @Test
    void missingStatusFieldFails(WireMockRuntimeInfo wm) {
        stubFor(statusStub(APP, ID).willReturn(okJson("{\"queue_position\":1}")));
        try (FalClient fal = builder(wm).build()) {
            assertThatThrownBy(() -> fal.status(APP, ID, false)).isInstanceOf(FalException.class)
                    .hasMessageContaining("'status'");
        }
    }

    @Test
    void fieldsTheClientDoesNotReadAreSkippedWhateverTheirShape(WireMockRuntimeInfo wm) {
        assertThat(statusFor(wm, "{\"extra\":{\"a\":[1,{\"status\":\"COMPLETED\"}]},\"status\":\"IN_QUEUE\","
                + "\"more\":[[],{}],\"queue_position\":3,\"flag\":true}")).isEqualTo(new Queued(3));
    }

    @Test
    void logsInAnotherShapeAreSkippedWithoutConfusingTheFieldsAfterThem(WireMockRuntimeInfo wm) {
        assertThat(statusFor(wm, "{\"status\":\"IN_PROGRESS\",\"logs\":{\"status\":\"COMPLETED\"},"
                + "\"error\":null}")).isInstanceOfSatisfying(InProgress.class, p -> assertThat(p.logs()).isEmpty());
        assertThat(statusFor(wm, "{\"logs\":\"none\",\"status\":\"IN_QUEUE\",\"queue_position\":2}"))
                .isEqualTo(new Queued(2));
    }

    @Test
    void completedWithNestedMetricsAndStructuredError(WireMockRuntimeInfo wm) {
        assertThat(statusFor(wm, "{\"status\":\"COMPLETED\",\"metrics\":{\"inference_time\":1.5,"
                + "\"gpu\":{\"type\":\"H100\"}},\"error\":{\"msg\":\"boom\"},\"error_type\":null}"))
                .isInstanceOfSatisfying(Completed.class, c -> {
                    assertThat(c.metrics()).containsEntry("inference_time", 1.5)
                            .containsEntry("gpu", Map.of("type", "H100"));
                    assertThat(c.error()).isEqualTo("{\"msg\":\"boom\"}");
                    assertThat(c.errorType()).isNull();
                });
    }

    @Test
    void aStatusThatIsNoSingleJsonObjectIsMalformed(WireMockRuntimeInfo wm) {
        for (String body : new String[] {"[{\"status\":\"IN_QUEUE\"}]", "{\"status\":\"IN_QUEUE\"} {}",
                "{\"status\":{\"state\":\"IN_QUEUE\"}}", "{\"status\":\"IN_QUEUE\"",
                "{\"status\":\"IN_PROGRESS\",\"logs\":[{\"message\":\"a\"}"}) {
            stubFor(statusStub(APP, ID).willReturn(okJson(body)));
            try (FalClient fal = builder(wm).maxAttempts(1).build()) {
                assertThatThrownBy(() -> fal.status(APP, ID, false)).as(body)
                        .isInstanceOf(FalResponseException.class).hasMessageContaining("malformed JSON");
            }
        }
    }

    @Test
    void recordsNormaliseNulls() {
        assertThat(new InProgress(null).logs()).isEmpty();
        Completed c = new Completed(null, null, null, "x");
        assertThat(c.logs()).isEmpty();
        assertThat(c.metrics()).isEmpty();
        assertThat(c.failed()).isTrue();
        assertThat(new RequestLog(null, null, null, null)).isEqualTo(new RequestLog("", "", "", ""));
        assertThatThrownBy(() -> new Completed(null, Map.of("a", 1), null, null).metrics().put("b", 2))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
