package dev.falclient;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.falclient.FalTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** Results of failed requests, and cancel outcomes. */
@WireMockTest
class ResultAndCancelTests {

    private static final String APP = "fal-ai/flux";
    private static final String ID = "req-c";
    private static final String FAILED = "{\"status\":\"COMPLETED\",\"metrics\":{},\"error\":\"Invalid input image\","
            + "\"error_type\":\"bad_request\"}";

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final FalRequestListener listener = new FalRequestListener() {
        @Override
        public void onResult(FalRequest request, tools.jackson.databind.JsonNode result) {
            events.add("result:" + request.requestId());
        }

        @Override
        public void onFailed(FalRequest request, FalException error) {
            events.add("failed:" + request.requestId() + ":" + error.getClass().getSimpleName());
        }

        @Override
        public void onCancelled(FalRequest request) {
            events.add("cancelled:" + request.requestId());
        }
    };

    private FalClient client(WireMockRuntimeInfo wm) {
        return builder(wm).maxAttempts(1).listener(listener).build();
    }

    @Test
    void completedWithErrorFetchesResultAndSurfacesValidationError(WireMockRuntimeInfo wm) {
        stubFor(statusStub(APP, ID).willReturn(okJson(FAILED)));
        stubFor(resultStub(APP, ID).willReturn(json(422,
                "{\"detail\":[{\"loc\":[\"body\",\"image_url\"],\"msg\":\"Could not load\",\"type\":\"file_download_error\"}]}")));
        try (FalClient fal = client(wm)) {
            assertThatThrownBy(() -> fal.handle(APP, ID).get())
                    .isInstanceOfSatisfying(FalValidationException.class, e -> {
                        assertThat(e.requestId()).contains(ID);
                        assertThat(e.errors()).singleElement().satisfies(f -> {
                            assertThat(f.field()).isEqualTo("image_url");
                            assertThat(f.type()).isEqualTo("file_download_error");
                        });
                    });
            await("onFailed", Duration.ofSeconds(3), () -> events.contains("failed:" + ID + ":FalValidationException"));
        }
        wm.getWireMock().verifyThat(1, getRequestedFor(urlPathEqualTo(requestPath(APP, ID))));
    }

    @Test
    void completedWithErrorAndResult500(WireMockRuntimeInfo wm) {
        stubFor(statusStub(APP, ID).willReturn(okJson(FAILED)));
        stubFor(resultStub(APP, ID).willReturn(json(500, "{\"detail\":\"Internal\",\"error_type\":\"internal_error\"}")));
        try (FalClient fal = client(wm)) {
            assertThatThrownBy(() -> fal.handle(APP, ID).get())
                    .isInstanceOfSatisfying(FalHttpException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(500);
                        assertThat(e.errorType()).isEqualTo("internal_error");
                        assertThat(e.requestId()).contains(ID);
                    });
        }
    }

    @Test
    void completedWithErrorButResult200StillFails(WireMockRuntimeInfo wm) {
        stubFor(statusStub(APP, ID).willReturn(okJson(FAILED)));
        stubFor(resultStub(APP, ID).willReturn(okJson("{\"images\":[]}")));
        try (FalClient fal = client(wm)) {
            assertThatThrownBy(() -> fal.handle(APP, ID).get())
                    .isInstanceOfSatisfying(FalException.class, e -> {
                        assertThat(e).isNotInstanceOf(FalHttpException.class);
                        assertThat(e.getMessage()).contains("Invalid input image").contains("bad_request");
                        assertThat(e.requestId()).contains(ID);
                    });
            await("onFailed", Duration.ofSeconds(3), () -> events.contains("failed:" + ID + ":FalException"));
        }
        assertThat(events).doesNotContain("result:" + ID);
        wm.getWireMock().verifyThat(1, getRequestedFor(urlPathEqualTo(requestPath(APP, ID))));
    }

    @Test
    void resultReportsOnResult(WireMockRuntimeInfo wm) {
        stubFor(statusStub(APP, ID).willReturn(okJson(completed())));
        stubFor(resultStub(APP, ID).willReturn(okJson("{\"x\":1}")));
        try (FalClient fal = client(wm)) {
            assertThat(fal.result(APP, ID).get("x").asInt()).isEqualTo(1);
            await("onResult", Duration.ofSeconds(3), () -> events.contains("result:" + ID));
        }
    }

    @Test
    void cancelAccepted(WireMockRuntimeInfo wm) {
        stubFor(put(urlPathEqualTo(requestPath(APP, ID) + "/cancel"))
                .willReturn(json(202, "{\"status\":\"CANCELLATION_REQUESTED\"}")));
        try (FalClient fal = client(wm)) {
            assertThatCode(() -> fal.handle(APP, ID).cancel()).doesNotThrowAnyException();
            await("onCancelled", Duration.ofSeconds(3), () -> events.contains("cancelled:" + ID));
        }
        wm.getWireMock().verifyThat(1, putRequestedFor(urlPathEqualTo(requestPath(APP, ID) + "/cancel"))
                .withHeader("Authorization", equalTo("Key test-key"))
                .withHeader("Content-Type", absent()));
        assertThat(wm.getWireMock().find(putRequestedFor(urlPathEqualTo(requestPath(APP, ID) + "/cancel")))
                .get(0).getBody()).isEmpty();
    }

    @Test
    void cancelOkStatus(WireMockRuntimeInfo wm) {
        stubFor(put(urlPathEqualTo(requestPath(APP, ID) + "/cancel")).willReturn(okJson("{\"status\":\"OK\"}")));
        try (FalClient fal = client(wm)) {
            StepVerifier.create(fal.async().cancel(APP, ID)).verifyComplete();
            await("onCancelled", Duration.ofSeconds(3), () -> events.contains("cancelled:" + ID));
        }
    }

    @Test
    void cancelAlreadyCompletedReturnsNormallyWithoutOnCancelled(WireMockRuntimeInfo wm) {
        stubFor(put(urlPathEqualTo(requestPath(APP, ID) + "/cancel"))
                .willReturn(json(400, "{\"status\":\"ALREADY_COMPLETED\"}")));
        try (FalClient fal = client(wm)) {
            assertThatCode(() -> fal.cancel(APP, ID)).doesNotThrowAnyException();
            // an accepted cancel reports within milliseconds (see cancelAccepted); this one never does
            Awaitility.await().during(Duration.ofMillis(300)).atMost(PATIENCE)
                    .untilAsserted(() -> assertThat(events).isEmpty());
        }
    }

    @Test
    void cancelOtherBadRequestThrows(WireMockRuntimeInfo wm) {
        stubFor(put(urlPathEqualTo(requestPath(APP, ID) + "/cancel"))
                .willReturn(json(400, "{\"detail\":\"bad id\"}")));
        try (FalClient fal = client(wm)) {
            assertThatThrownBy(() -> fal.cancel(APP, ID))
                    .isInstanceOfSatisfying(FalHttpException.class, e -> assertThat(e.statusCode()).isEqualTo(400));
        }
    }

    @Test
    void cancelNotFoundThrows(WireMockRuntimeInfo wm) {
        stubFor(put(urlPathEqualTo(requestPath(APP, ID) + "/cancel"))
                .willReturn(json(404, "{\"status\":\"NOT_FOUND\"}")));
        try (FalClient fal = client(wm)) {
            assertThatThrownBy(() -> fal.handle(APP, ID).cancel())
                    .isInstanceOfSatisfying(FalHttpException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(404);
                        assertThat(e.requestId()).contains(ID);
                    });
        }
        assertThat(events).doesNotContain("cancelled:" + ID);
    }

    @Test
    void cancelNotFoundIn200BodyThrows(WireMockRuntimeInfo wm) {
        stubFor(put(urlPathEqualTo(requestPath(APP, ID) + "/cancel")).willReturn(okJson("{\"status\":\"NOT_FOUND\"}")));
        try (FalClient fal = client(wm)) {
            assertThatThrownBy(() -> fal.handle(APP, ID).cancel()).isInstanceOf(FalException.class)
                    .hasMessageContaining("NOT_FOUND");
        }
    }
}
