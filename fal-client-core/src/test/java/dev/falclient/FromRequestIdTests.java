package dev.falclient;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** Handles for requests created elsewhere. */
@WireMockTest
class FromRequestIdTests {

    private static void stubRequest(String app, String id) {
        stubFor(statusStub(app, id).willReturn(okJson(completed())));
        stubFor(resultStub(app, id).willReturn(okJson("{\"app\":\"" + app + "\"}")));
        stubFor(put(urlPathEqualTo(requestPath(app, id) + "/cancel"))
                .willReturn(json(202, "{\"status\":\"CANCELLATION_REQUESTED\"}")));
    }

    private static void verifyRequest(WireMockRuntimeInfo wm, String app, String id) {
        wm.getWireMock().verifyThat(1, getRequestedFor(urlPathEqualTo(requestPath(app, id) + "/status"))
                .withQueryParam("logs", equalTo("1")).withHeader("Authorization", equalTo("Key test-key")));
        wm.getWireMock().verifyThat(1, getRequestedFor(urlPathEqualTo(requestPath(app, id))));
        wm.getWireMock().verifyThat(1, putRequestedFor(urlPathEqualTo(requestPath(app, id) + "/cancel")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "fal-ai/flux/dev, fal-ai/flux",
            "fal-ai/flux-lora/image-to-image, fal-ai/flux-lora",
            "workflows/fal-ai/sdxl-sticker, workflows/fal-ai/sdxl-sticker",
            "workflows/me/flow/sub/path, workflows/me/flow",
            "comfy/owner/app/sub, comfy/owner/app",
            "1234-myapp, 1234/myapp",
    })
    void syncHandleUsesAppPathUnderThePrefix(String endpoint, String app, WireMockRuntimeInfo wm) {
        String id = "ext-1";
        stubRequest(app, id);
        try (FalClient fal = builder(wm).build()) {
            SyncRequestHandle handle = SyncRequestHandle.fromRequestId(fal, endpoint, id);
            assertThat(handle.requestId()).isEqualTo(id);
            assertThat(handle.endpointId()).isEqualTo(endpoint);
            assertThat(handle.async().statusUrl()).isEqualTo(wm.getHttpBaseUrl() + requestPath(app, id) + "/status");
            assertThat(handle.status(true)).isInstanceOf(Completed.class);
            assertThat(handle.get().get("app").asString()).isEqualTo(app);
            handle.cancel();
        }
        verifyRequest(wm, app, id);
    }

    @Test
    void asyncHandle(WireMockRuntimeInfo wm) {
        String app = "workflows/fal-ai/sdxl-sticker";
        String id = "ext-2";
        stubRequest(app, id);
        try (AsyncFalClient fal = asyncBuilder(wm).build()) {
            AsyncRequestHandle handle = AsyncRequestHandle.fromRequestId(fal, app + "/extra", id);
            StepVerifier.create(handle.status(true)).expectNextMatches(Completed.class::isInstance).verifyComplete();
            StepVerifier.create(handle.get()).expectNextMatches(n -> n.get("app").asString().equals(app))
                    .verifyComplete();
            StepVerifier.create(handle.cancel()).verifyComplete();
            assertThat(handle.blocking().requestId()).isEqualTo(id);
        }
        verifyRequest(wm, app, id);
    }

    @Test
    void clientConvenienceMethods(WireMockRuntimeInfo wm) {
        String app = "fal-ai/flux";
        String id = "ext-3";
        stubRequest(app, id);
        try (FalClient fal = builder(wm).build()) {
            assertThat(fal.status("fal-ai/flux/schnell", id, true)).isInstanceOf(Completed.class);
            assertThat(fal.result("fal-ai/flux/schnell", id).get("app").asString()).isEqualTo(app);
            fal.cancel("fal-ai/flux/schnell", id);
        }
        verifyRequest(wm, app, id);
    }

    @Test
    void requestIdIsTrimmedAndEncoded(WireMockRuntimeInfo wm) {
        stubFor(statusStub("fal-ai/flux", "a%20b").willReturn(okJson(queued(0))));
        try (FalClient fal = builder(wm).build()) {
            SyncRequestHandle handle = fal.handle("fal-ai/flux", "  a b ");
            assertThat(handle.requestId()).isEqualTo("a b");
            assertThat(handle.async().statusUrl()).endsWith("/requests/a%20b/status");
            assertThat(handle.status()).isEqualTo(new Queued(0));
        }
    }

    @Test
    void invalidInputsMakeNoCall(WireMockRuntimeInfo wm) {
        try (FalClient fal = builder(wm).build()) {
            assertThatThrownBy(() -> SyncRequestHandle.fromRequestId(fal, "justname", "x"))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> SyncRequestHandle.fromRequestId(fal, "fal-ai/flux", null))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> SyncRequestHandle.fromRequestId(null, "fal-ai/flux", "x"))
                    .isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> fal.handle("fal-ai/flux", "x").iterEvents(false, Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        wm.getWireMock().verifyThat(0, anyRequestedFor(anyUrl()));
    }
}
