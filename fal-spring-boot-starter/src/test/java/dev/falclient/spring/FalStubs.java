package dev.falclient.spring;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

/** WireMock stubs of fal's queue API for one request {@code abc} of {@code fal-ai/fast-sdxl}. */
public final class FalStubs {

    public static final String ENDPOINT = "fal-ai/fast-sdxl";
    public static final String REQUEST_ID = "abc";
    public static final String BASE = "/" + ENDPOINT + "/requests/" + REQUEST_ID;
    public static final String OUTPUT = "{\"images\":[{\"url\":\"https://v3.fal.media/files/x.png\"}],\"seed\":42}";

    private FalStubs() {
    }

    /** Submit, then IN_QUEUE(2) → IN_QUEUE(1) → IN_PROGRESS(logs) → COMPLETED, then the output. */
    public static void fullCycle(WireMockExtension wm) {
        String queueUrl = wm.baseUrl();
        wm.stubFor(post(urlPathEqualTo("/" + ENDPOINT)).willReturn(okJson("{\"request_id\":\"abc\","
                + "\"status\":\"IN_QUEUE\",\"queue_position\":0,"
                + "\"status_url\":\"" + queueUrl + BASE + "/status\","
                + "\"response_url\":\"" + queueUrl + BASE + "\","
                + "\"cancel_url\":\"" + queueUrl + BASE + "/cancel\"}")));
        status(wm, Scenario.STARTED, "q1", 202, "{\"status\":\"IN_QUEUE\",\"queue_position\":2}");
        status(wm, "q1", "progress", 202, "{\"status\":\"IN_QUEUE\",\"queue_position\":1}");
        status(wm, "progress", "completed", 202, "{\"status\":\"IN_PROGRESS\",\"logs\":[{\"message\":\"step 1\","
                + "\"level\":\"INFO\",\"source\":\"USER\",\"timestamp\":\"2026-01-01T00:00:01Z\"}]}");
        status(wm, "completed", "completed", 200, "{\"status\":\"COMPLETED\",\"logs\":[],"
                + "\"metrics\":{\"inference_time\":1.2}}");
        wm.stubFor(get(urlPathEqualTo(BASE)).willReturn(okJson(OUTPUT)));
    }

    private static void status(WireMockExtension wm, String state, String next, int code, String body) {
        wm.stubFor(get(urlPathEqualTo(BASE + "/status")).inScenario("queue").whenScenarioStateIs(state)
                .willSetStateTo(next)
                .willReturn(aResponse().withStatus(code).withHeader("Content-Type", "application/json")
                        .withBody(body)));
    }

    /** Every submit is answered with 401. */
    public static void unauthorized(WireMockExtension wm) {
        wm.stubFor(post(urlPathEqualTo("/" + ENDPOINT)).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"detail\":\"Invalid key\"}")));
    }
}
