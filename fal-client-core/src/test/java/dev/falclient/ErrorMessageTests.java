package dev.falclient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.falclient.FalTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Exception messages built from server data: bounded, single-line, free of credentials, and saying what failed. */
@WireMockTest
class ErrorMessageTests {

    private static final String APP = "fal-ai/flux";
    private static final String ID = "0b5c7e36-9f1d-4a8e-b2c4-6d0e8f1a3b5c";
    /** Shaped like a real fal key ({@code <key id>:<key secret>}), so a bare echo of it is recognisable. */
    private static final String REAL_KEY = "3f2a9c1e-7b4d-4e8a-9c6f-1a2b3c4d5e6f:9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a";
    private static final String SECRET = "9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a";
    private static final int FIVE_MB = 5 * 1024 * 1024;

    private static FalClient client(WireMockRuntimeInfo wm) {
        return builder(wm).key(REAL_KEY).maxAttempts(1).maxInMemorySize(16 * 1024 * 1024).build();
    }

    private static void assertFitForALog(Throwable e) {
        assertThat(e.getMessage()).hasSizeLessThan(1_000).doesNotContain("\n").doesNotContain("\r");
        assertThat(e.toString()).hasSizeLessThan(1_100).doesNotContain("\n");
    }

    @Test
    void aFiveMegabyteDetailGivesAShortSingleLineMessage(WireMockRuntimeInfo wm) {
        String detail = "first line\\nsecond line\\r\\n" + "x".repeat(FIVE_MB);
        stubFor(statusStub(APP, ID).willReturn(json(500, "{\"detail\":\"" + detail + "\"}")));
        try (FalClient fal = client(wm)) {
            FalHttpException e = catchThrowableOfType(FalHttpException.class, () -> fal.status(APP, ID, false));
            assertFitForALog(e);
            assertThat(e.getMessage()).contains("first line second line xxx").endsWith("…");
            // the data stays available to code that wants it
            assertThat(e.body()).hasSizeGreaterThan(FIVE_MB);
        }
    }

    @Test
    void aFiveMegabyteHtmlPageAndAHugeValidationListGiveShortMessages(WireMockRuntimeInfo wm) {
        stubFor(post(urlPathEqualTo(QUEUE + "/" + APP)).willReturn(aResponse().withStatus(502)
                .withHeader("Content-Type", "text/html").withBody("<html>\n" + "<p>bad gateway</p>\n".repeat(300_000))));
        StringBuilder entries = new StringBuilder("{\"detail\":[");
        for (int i = 0; i < 50_000; i++) {
            entries.append(i == 0 ? "" : ",").append("{\"loc\":[\"body\",\"f").append(i)
                    .append("\"],\"msg\":\"bad\\nvalue\",\"type\":\"value_error\"}");
        }
        stubFor(post(urlPathEqualTo(RUN + "/" + APP)).willReturn(json(422, entries + "]}")));
        try (FalClient fal = client(wm)) {
            FalHttpException gateway = catchThrowableOfType(FalHttpException.class, () -> fal.submit(APP, Map.of()));
            assertFitForALog(gateway);
            assertThat(gateway.getMessage()).contains("<html> <p>bad gateway</p>").contains("may be billed");
            FalValidationException validation = catchThrowableOfType(FalValidationException.class,
                    () -> fal.run(APP, Map.of()));
            assertFitForALog(validation);
            assertThat(validation.getMessage()).contains("body.f0: bad value; body.f1: bad value");
            assertThat(validation.errors()).hasSize(50_000);
        }
    }

    @Test
    void credentialsEchoedByAProxyNeverReachMessageToStringOrBody(WireMockRuntimeInfo wm) {
        // a proxy that echoes the request it received: the real Authorization header comes back
        stubFor(statusStub(APP, ID).willReturn(aResponse().withStatus(502).withHeader("Content-Type", "text/plain")
                .withHeader("X-Echo-Authorization", "{{request.headers.Authorization}}")
                .withBody("upstream refused\r\nAuthorization: {{request.headers.Authorization.[0]}}\r\n"
                        + "Proxy-Authorization: Bearer xyz\r\nraw key {{request.headers.Authorization.[0]}}")
                .withTransformers("response-template")));
        stubFor(post(urlPathEqualTo(RUN + "/" + APP)).willReturn(json(500,
                "{\"detail\":\"rejected {\\\"authorization\\\": \\\"Key abc:def\\\"} and Bearer xyz, key "
                        + REAL_KEY + "\"}")));
        try (FalClient fal = client(wm)) {
            FalHttpException echoed = catchThrowableOfType(FalHttpException.class, () -> fal.status(APP, ID, false));
            assertThat(echoed.getMessage()).contains("upstream refused").contains("Authorization: [REDACTED]");
            FalHttpException quoted = catchThrowableOfType(FalHttpException.class, () -> fal.run(APP, Map.of()));
            assertThat(quoted.getMessage()).contains("rejected").contains("Bearer [REDACTED]");
            for (FalHttpException e : new FalHttpException[] {echoed, quoted}) {
                for (String text : new String[] {e.getMessage(), e.toString(), e.body(),
                        String.valueOf(e.headers())}) {
                    assertThat(text).doesNotContain(SECRET).doesNotContain("abc:def").doesNotContain("xyz");
                }
                assertFitForALog(e);
            }
        }
    }

    @Test
    void unknownRequestOnTheStatusCallSaysWhatA404Means(WireMockRuntimeInfo wm) {
        stubFor(statusStub(APP, ID).willReturn(json(404, "{\"detail\":\"Request not found\"}")));
        try (FalClient fal = client(wm)) {
            FalHttpException e = catchThrowableOfType(FalHttpException.class, () -> fal.status(APP, ID, false));
            assertThat(e.statusCode()).isEqualTo(404);
            assertThat(e.getMessage())
                    .contains("the status call of request " + ID + " of endpoint " + APP + " (GET ")
                    .contains("the request id is wrong, belongs to another endpoint, or its result expired")
                    .contains("about 1 hour").contains("about 6 minutes for results of 10 KB or more")
                    .contains("payload storage")
                    .endsWith("fal said: Request not found");
            assertFitForALog(e);
        }
    }

    @Test
    void resultOfAnUnknownRequestNamesTheStatusCallItFailedOn(WireMockRuntimeInfo wm) {
        stubFor(statusStub(APP, ID).willReturn(json(404, "{\"detail\":\"Request not found\"}")));
        try (FalClient fal = client(wm)) {
            FalHttpException e = catchThrowableOfType(FalHttpException.class, () -> fal.result(APP, ID));
            assertThat(e.getMessage()).contains("the status call of request " + ID + " of endpoint " + APP)
                    .contains("its result expired");
            assertThat(e.requestId()).contains(ID);
        }
    }

    @Test
    void anExpiredResultNamesTheResultCall(WireMockRuntimeInfo wm) {
        stubFor(statusStub(APP, ID).willReturn(okJson(completed())));
        stubFor(resultStub(APP, ID).willReturn(json(404, "{\"detail\":\"Request not found\"}")));
        try (FalClient fal = client(wm)) {
            FalHttpException e = catchThrowableOfType(FalHttpException.class, () -> fal.result(APP, ID));
            assertThat(e.getMessage()).contains("the result call of request " + ID + " of endpoint " + APP)
                    .contains("its result expired (fal keeps queue results about 1 hour");
        }
    }

    @Test
    void cancelOfAnUnknownRequestNamesTheCancelCall(WireMockRuntimeInfo wm) {
        String app = "workflows/me/sticker";
        stubFor(put(urlPathEqualTo(requestPath(app, ID) + "/cancel"))
                .willReturn(json(404, "{\"status\":\"NOT_FOUND\"}")));
        try (FalClient fal = client(wm)) {
            FalHttpException e = catchThrowableOfType(FalHttpException.class, () -> fal.cancel(app, ID));
            assertThat(e.getMessage()).contains("the cancel call of request " + ID + " of endpoint " + app + " (PUT ")
                    .contains("the request id is wrong").endsWith("fal said: {\"status\":\"NOT_FOUND\"}");
        }
    }

    @Test
    void aSubmitTo404SaysTheEndpointIsWrongAndHidesTheWebhookQuery(WireMockRuntimeInfo wm) {
        stubFor(post(urlPathEqualTo(QUEUE + "/fal-ai/no-such-app")).willReturn(json(404,
                "{\"detail\":\"Application not found\"}")));
        try (FalClient fal = client(wm)) {
            FalHttpException e = catchThrowableOfType(FalHttpException.class, () -> fal.submit("fal-ai/no-such-app",
                    Map.of(), SubmitOptions.builder().webhookUrl("https://hooks.example/fal?token=s3cret").build()));
            assertThat(e.getMessage()).contains("the submit of endpoint fal-ai/no-such-app (POST http://").contains("/fal-ai/no-such-app)")
                    .contains("the endpoint id or its sub-path is probably wrong").contains("Application not found")
                    .doesNotContain("s3cret").doesNotContain("fal_webhook");
        }
    }

    @Test
    void aDetailListOfUnexpectedShapeStillGivesTheHttpError(WireMockRuntimeInfo wm) {
        stubFor(post(urlPathEqualTo(RUN + "/" + APP)).willReturn(json(422,
                "{\"detail\":[{\"loc\":[{\"nested\":true},[1]],\"msg\":\"odd\"},\"plain text\",7]}")));
        try (FalClient fal = client(wm)) {
            FalValidationException e = catchThrowableOfType(FalValidationException.class,
                    () -> fal.run(APP, Map.of()));
            assertThat(e.getMessage()).contains("{\"nested\":true}.[1]: odd; plain text; 7");
        }
    }
}
