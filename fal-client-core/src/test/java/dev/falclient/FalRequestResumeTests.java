package dev.falclient;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.falclient.FalTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * A submitted request is stored as JSON and resumed in another client with the URLs fal returned, which cannot be
 * rebuilt from the ids for sub-path endpoints (fal-js issue 214).
 */
@WireMockTest
class FalRequestResumeTests {

    private static final String ENDPOINT = "xai/grok-imagine-image/quality/edit";
    private static final String ID = "req-resume";
    /** fal's own URL shape for this endpoint: the sub-path stays in it. */
    private static final String RETURNED = QUEUE + "/" + ENDPOINT + "/requests/" + ID;

    @Test
    void aStoredRequestResumesWithTheUrlsFalReturned(WireMockRuntimeInfo wm) throws Exception {
        String base = wm.getHttpBaseUrl() + RETURNED;
        stubFor(post(urlPathEqualTo(QUEUE + "/" + ENDPOINT)).willReturn(okJson("{\"request_id\":\"" + ID + "\","
                + "\"status_url\":\"" + base + "/status\",\"response_url\":\"" + base + "\","
                + "\"cancel_url\":\"" + base + "/cancel\"}")));
        stubFor(get(urlPathEqualTo(RETURNED + "/status")).willReturn(okJson(completed())));
        stubFor(get(urlPathEqualTo(RETURNED)).willReturn(okJson("{\"image\":\"done\"}")));
        JsonMapper mapper = JsonMapper.builder().build();

        String stored;
        try (FalClient submitter = builder(wm).build()) {
            stored = mapper.writeValueAsString(submitter.submit(ENDPOINT, Map.of("prompt", "x")).request());
        }
        try (FalClient resumer = builder(wm).build()) {
            FalRequest request = mapper.readValue(stored, FalRequest.class);
            assertThat(request).isEqualTo(new FalRequest(ENDPOINT, ID, base + "/status", base, base + "/cancel"));
            assertThat(resumer.handle(request).get().get("image").asString()).isEqualTo("done");
        }
        // the ids alone would have led to .../xai/grok-imagine-image/requests/{id}, which fal answers 404
        wm.getWireMock().verifyThat(0, getRequestedFor(urlPathEqualTo(
                QUEUE + "/xai/grok-imagine-image/requests/" + ID + "/status")));
    }

    @Test
    void aStoredUrlOutsideTheConfiguredQueueUrlIsReplacedByTheDerivedOne(WireMockRuntimeInfo wm) {
        stubFor(statusStub("fal-ai/flux", ID).willReturn(okJson(queued(2))));
        try (FalClient fal = builder(wm).build()) {
            FalRequest tampered = new FalRequest("fal-ai/flux", ID, "https://elsewhere.example/steal/status",
                    "https://elsewhere.example/steal", "https://elsewhere.example/steal/cancel");
            SyncRequestHandle handle = fal.handle(tampered);
            assertThat(handle.request().statusUrl()).isEqualTo(wm.getHttpBaseUrl() + requestPath("fal-ai/flux", ID)
                    + "/status");
            assertThat(handle.status()).isEqualTo(new Queued(2));
        }
    }

    @Test
    void aRequestKnownOnlyByItsIdsGetsDerivedUrls(WireMockRuntimeInfo wm) {
        stubFor(statusStub("fal-ai/flux", ID).willReturn(okJson(queued(1))));
        try (FalClient fal = builder(wm).build()) {
            assertThat(fal.handle(new FalRequest("fal-ai/flux/dev", ID)).status()).isEqualTo(new Queued(1));
        }
    }

    @Test
    void afterIterEventsHasSeenCompletedGetFetchesWithoutWaitingAgain(WireMockRuntimeInfo wm) {
        stubFor(statusStub("fal-ai/flux", ID).willReturn(okJson(completed())));
        stubFor(resultStub("fal-ai/flux", ID).willReturn(okJson("{\"ok\":1}")));
        try (FalClient fal = builder(wm).build()) {
            SyncRequestHandle handle = fal.handle("fal-ai/flux", ID);
            try (var events = handle.iterEvents()) {
                assertThat(events.reduce((a, b) -> b)).containsInstanceOf(Completed.class);
            }
            int statusCalls = statusCalls(wm);
            assertThat(handle.get().get("ok").asInt()).isEqualTo(1);
            assertThat(statusCalls(wm)).isEqualTo(statusCalls);
        }
    }

    private static int statusCalls(WireMockRuntimeInfo wm) {
        return wm.getWireMock().find(getRequestedFor(urlPathEqualTo(requestPath("fal-ai/flux", ID) + "/status")))
                .size();
    }
}
