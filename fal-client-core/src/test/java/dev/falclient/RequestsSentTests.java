package dev.falclient;

import dev.falclient.internal.http.FalTransport;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.falclient.FalTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** What the client puts on the wire: URLs, query, headers and bodies. */
@WireMockTest
class RequestsSentTests {

    private static final String APP = "fal-ai/fast-sdxl";
    private static final String ID = "req-1";

    record Input(String prompt, int steps, List<String> tags) {
    }

    /** A plain bean with getters. */
    public static final class Pojo {
        private final String prompt = "bean";
        private final double strength = 0.5;

        public String getPrompt() {
            return prompt;
        }

        public double getStrength() {
            return strength;
        }
    }

    private static void acceptAnySubmit(WireMockRuntimeInfo wm) {
        stubFor(post(urlPathMatching(QUEUE + "/.*")).willReturn(okJson(submitReply(wm, APP, ID))));
    }

    @Test
    void submitSendsAuthUserAgentContentTypeAndJsonBody(WireMockRuntimeInfo wm) {
        acceptAnySubmit(wm);
        try (FalClient fal = builder(wm).build()) {
            fal.submit(APP, Map.of("prompt", "a landscape", "num_images", 2));
        }
        List<LoggedRequest> requests = wm.getWireMock().find(postRequestedFor(urlPathEqualTo(QUEUE + "/" + APP)));
        assertThat(requests).hasSize(1);
        LoggedRequest r = requests.get(0);
        assertThat(r.getHeader("Authorization")).isEqualTo("Key test-key");
        assertThat(r.getHeader("User-Agent")).matches("fal-client-java/\\d+\\.\\d+\\.\\d+.*")
                .isEqualTo(FalTransport.USER_AGENT);
        assertThat(r.getHeader("Content-Type")).startsWith("application/json");
        assertThat(r.getHeader("Accept")).contains("application/json");
        JsonMapper mapper = JsonMapper.builder().build();
        assertThat(mapper.readTree(r.getBodyAsString()))
                .isEqualTo(mapper.readTree("{\"prompt\":\"a landscape\",\"num_images\":2}"));
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(QUEUE + "/" + APP))
                .withRequestBody(equalToJson("{\"prompt\":\"a landscape\",\"num_images\":2}"))
                .withHeader("X-Fal-Request-Timeout", absent())
                .withHeader("X-Fal-Runner-Hint", absent())
                .withHeader("X-Fal-Queue-Priority", absent()));
    }

    @Test
    void bodiesFromRecordPojoAndJsonNode(WireMockRuntimeInfo wm) {
        acceptAnySubmit(wm);
        ObjectNode node = JsonMapper.builder().build().createObjectNode();
        node.put("prompt", "node").putArray("loras").addObject().put("path", "a.safetensors").put("scale", 0.7);
        try (FalClient fal = builder(wm).build()) {
            fal.submit("fal-ai/a", new Input("rec", 20, List.of("x", "y")));
            fal.submit("fal-ai/b", new Pojo());
            fal.submit("fal-ai/c", node);
            Map<String, Object> nested = new LinkedHashMap<>();
            nested.put("prompt", "nulls");
            nested.put("seed", null);
            fal.submit("fal-ai/d", nested);
        }
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(QUEUE + "/fal-ai/a"))
                .withRequestBody(equalToJson("{\"prompt\":\"rec\",\"steps\":20,\"tags\":[\"x\",\"y\"]}")));
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(QUEUE + "/fal-ai/b"))
                .withRequestBody(equalToJson("{\"prompt\":\"bean\",\"strength\":0.5}")));
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(QUEUE + "/fal-ai/c"))
                .withRequestBody(equalToJson("{\"prompt\":\"node\",\"loras\":[{\"path\":\"a.safetensors\",\"scale\":0.7}]}")));
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(QUEUE + "/fal-ai/d"))
                .withRequestBody(equalToJson("{\"prompt\":\"nulls\",\"seed\":null}")));
    }

    @Test
    void startTimeoutHintPriorityAndCustomHeaders(WireMockRuntimeInfo wm) {
        acceptAnySubmit(wm);
        try (FalClient fal = builder(wm).build()) {
            fal.submit(APP, Map.of("p", 1), SubmitOptions.builder()
                    .startTimeout(Duration.ofSeconds(30))
                    .hint("lora:a")
                    .priority(Priority.LOW)
                    .header("X-Fal-Store-IO", "0")
                    .header("X-Custom", "yes")
                    .build());
            fal.submit("fal-ai/other", Map.of("p", 2), SubmitOptions.builder()
                    .startTimeout(Duration.ofMillis(2500)).priority(Priority.NORMAL).build());
        }
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(QUEUE + "/" + APP))
                .withHeader("X-Fal-Request-Timeout", equalTo("30"))
                .withHeader("X-Fal-Runner-Hint", equalTo("lora:a"))
                .withHeader("X-Fal-Queue-Priority", equalTo("low"))
                .withHeader("X-Fal-Store-IO", equalTo("0"))
                .withHeader("X-Custom", equalTo("yes"))
                .withHeader("Authorization", equalTo("Key test-key")));
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(QUEUE + "/fal-ai/other"))
                .withHeader("X-Fal-Request-Timeout", equalTo("2.5"))
                .withHeader("X-Fal-Queue-Priority", equalTo("normal")));
    }

    @Test
    void startTimeoutOfOneSecondOrLessIsRejected() {
        assertThatThrownBy(() -> SubmitOptions.builder().startTimeout(Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 second");
        assertThatThrownBy(() -> RunOptions.builder().startTimeout(Duration.ofMillis(500)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SubscribeOptions.builder().startTimeout(Duration.ofMillis(1000)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void customHeaderCannotOverrideAuthorization(WireMockRuntimeInfo wm) {
        acceptAnySubmit(wm);
        try (FalClient fal = builder(wm).defaultHeader("X-Fal-No-Retry", "1").build()) {
            fal.submit(APP, Map.of(), SubmitOptions.builder().header("Authorization", "Key stolen").build());
        }
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(QUEUE + "/" + APP))
                .withHeader("Authorization", equalTo("Key test-key"))
                .withHeader("X-Fal-No-Retry", equalTo("1")));
    }

    @Test
    void defaultPriorityAndDefaultHeadersAreOverriddenPerCall(WireMockRuntimeInfo wm) {
        acceptAnySubmit(wm);
        try (FalClient fal = builder(wm).defaultPriority(Priority.LOW).defaultHeader("X-Fal-Store-IO", "0").build()) {
            fal.submit("fal-ai/one", Map.of());
            fal.submit("fal-ai/two", Map.of(), SubmitOptions.builder().priority(Priority.NORMAL)
                    .header("X-Fal-Store-IO", "1").build());
        }
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(QUEUE + "/fal-ai/one"))
                .withHeader("X-Fal-Queue-Priority", equalTo("low")).withHeader("X-Fal-Store-IO", equalTo("0")));
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(QUEUE + "/fal-ai/two"))
                .withHeader("X-Fal-Queue-Priority", equalTo("normal")).withHeader("X-Fal-Store-IO", equalTo("1")));
    }

    @Test
    void webhookIsSentUrlEncodedAsFalWebhookQuery(WireMockRuntimeInfo wm) {
        acceptAnySubmit(wm);
        String webhook = "https://example.com/hooks/fal?token=a+b/c&x=1 2#frag";
        try (FalClient fal = builder(wm).build()) {
            fal.submit(APP, Map.of("prompt", "x"), SubmitOptions.builder().webhookUrl(webhook).build());
        }
        LoggedRequest r = wm.getWireMock().find(postRequestedFor(urlPathEqualTo(QUEUE + "/" + APP))).get(0);
        // the value must survive a standard (form) decode intact: '+', '&', '=', '#', ' ' all escaped
        String rawQuery = r.getUrl().substring(r.getUrl().indexOf('?') + 1);
        assertThat(rawQuery).startsWith("fal_webhook=").doesNotContain("&").doesNotContain("+").doesNotContain(" ")
                .doesNotContain("#");
        assertThat(java.net.URLDecoder.decode(rawQuery.substring("fal_webhook=".length()),
                java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(webhook);
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(QUEUE + "/" + APP))
                .withQueryParam("fal_webhook", equalTo(webhook)));
    }

    @Test
    void defaultWebhookUrlIsSentUnlessTheCallNamesAnother(WireMockRuntimeInfo wm) {
        acceptAnySubmit(wm);
        try (FalClient fal = builder(wm).defaultWebhookUrl("https://app.example/fal/webhook").build()) {
            fal.submit("fal-ai/one", Map.of());
            fal.submit("fal-ai/two", Map.of(), SubmitOptions.builder().webhookUrl("https://other.example/h").build());
        }
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(QUEUE + "/fal-ai/one"))
                .withQueryParam("fal_webhook", equalTo("https://app.example/fal/webhook")));
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(QUEUE + "/fal-ai/two"))
                .withQueryParam("fal_webhook", equalTo("https://other.example/h")));
    }

    @Test
    void noWebhookIsSentWithoutADefaultOrACallValue(WireMockRuntimeInfo wm) {
        acceptAnySubmit(wm);
        try (FalClient fal = builder(wm).defaultWebhookUrl(" ").build()) {
            fal.submit("fal-ai/one", Map.of());
        }
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(QUEUE + "/fal-ai/one"))
                .withQueryParam("fal_webhook", absent()));
    }

    @Test
    void pathOptionIsAppendedOnSubmitAndRun(WireMockRuntimeInfo wm) {
        acceptAnySubmit(wm);
        stubFor(post(urlPathMatching(RUN + "/.*")).willReturn(okJson("{\"ok\":true}")));
        try (FalClient fal = builder(wm).build()) {
            fal.submit("fal-ai/flux/dev", Map.of(), SubmitOptions.builder().path("image-to-image").build());
            fal.submit("fal-ai/flux", Map.of(), SubmitOptions.builder().path("/a/b/").build());
            JsonNode out = fal.run("fal-ai/flux/dev", Map.of("x", 1), RunOptions.builder().path("redux").build());
            assertThat(out.get("ok").asBoolean()).isTrue();
        }
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(QUEUE + "/fal-ai/flux/dev/image-to-image")));
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(QUEUE + "/fal-ai/flux/a/b")));
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(RUN + "/fal-ai/flux/dev/redux"))
                .withRequestBody(equalToJson("{\"x\":1}"))
                .withHeader("Authorization", equalTo("Key test-key"))
                .withHeader("User-Agent", equalTo(FalTransport.USER_AGENT)));
    }

    @Test
    void repeatedSubmitsToOneEndpointKeepTheirOwnPathAndWebhook(WireMockRuntimeInfo wm) {
        acceptAnySubmit(wm);
        try (FalClient fal = builder(wm).build()) {
            fal.submit("fal-ai/flux", Map.of());
            fal.submit("fal-ai/flux", Map.of(), SubmitOptions.builder().path("redux").build());
            fal.submit("fal-ai/flux", Map.of(), SubmitOptions.builder().webhookUrl("https://app.example/h").build());
            fal.submit("fal-ai/flux", Map.of());
            fal.submit("fal-ai/flux/dev", Map.of());
            assertThatThrownBy(() -> fal.submit("fal-ai/../flux", Map.of()))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        wm.getWireMock().verifyThat(2, postRequestedFor(urlPathEqualTo(QUEUE + "/fal-ai/flux"))
                .withQueryParam("fal_webhook", absent()));
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(QUEUE + "/fal-ai/flux"))
                .withQueryParam("fal_webhook", equalTo("https://app.example/h")));
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(QUEUE + "/fal-ai/flux/redux")));
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(QUEUE + "/fal-ai/flux/dev")));
        wm.getWireMock().verifyThat(5, postRequestedFor(urlPathMatching(QUEUE + "/.*")));
    }

    @Test
    void runSendsHeadersAndReturnsOutput(WireMockRuntimeInfo wm) {
        stubFor(post(urlPathEqualTo(RUN + "/fal-ai/fast-sdxl"))
                .willReturn(okJson("{\"images\":[{\"url\":\"u\"}]}").withHeader("x-fal-request-id", "r-9")));
        try (FalClient fal = builder(wm).build()) {
            JsonNode out = fal.run(APP, Map.of("prompt", "p"), RunOptions.builder().hint("h1")
                    .startTimeout(Duration.ofSeconds(5)).header("X-A", "b").build());
            assertThat(out.get("images").get(0).get("url").asString()).isEqualTo("u");
        }
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(RUN + "/" + APP))
                .withHeader("X-Fal-Runner-Hint", equalTo("h1"))
                .withHeader("X-Fal-Request-Timeout", equalTo("5"))
                .withHeader("X-A", equalTo("b"))
                .withHeader("Content-Type", matching("application/json.*")));
        wm.getWireMock().verifyThat(0, postRequestedFor(urlPathMatching(QUEUE + ".*")));
    }

    @Test
    void statusAsksForLogsOnlyWhenRequested(WireMockRuntimeInfo wm) {
        stubFor(statusStub(APP, ID).willReturn(okJson(queued(0))));
        try (FalClient fal = builder(wm).build()) {
            SyncRequestHandle handle = fal.handle(APP, ID);
            assertThat(handle.status()).isEqualTo(new Queued(0));
            assertThat(handle.status(false)).isEqualTo(new Queued(0));
            assertThat(handle.status(true)).isEqualTo(new Queued(0));
        }
        wm.getWireMock().verifyThat(2, getRequestedFor(urlPathEqualTo(requestPath(APP, ID) + "/status"))
                .withQueryParam("logs", absent()));
        wm.getWireMock().verifyThat(1, getRequestedFor(urlPathEqualTo(requestPath(APP, ID) + "/status"))
                .withQueryParam("logs", equalTo("1")));
        wm.getWireMock().verifyThat(3, getRequestedFor(urlPathEqualTo(requestPath(APP, ID) + "/status"))
                .withHeader("Authorization", equalTo("Key test-key"))
                .withHeader("User-Agent", equalTo(FalTransport.USER_AGENT)));
    }

    @Test
    void serverReturnedUrlsUnderTheQueueUrlAreUsed(WireMockRuntimeInfo wm) {
        // fal may answer with URLs that differ from the derived ones (e.g. another alias): they are trusted
        String base = wm.getHttpBaseUrl() + QUEUE + "/fal-ai/elsewhere/requests/" + ID;
        stubFor(post(urlPathEqualTo(QUEUE + "/fal-ai/flux/dev")).willReturn(okJson("{\"request_id\":\"" + ID
                + "\",\"status_url\":\"" + base + "/status\",\"response_url\":\"" + base
                + "\",\"cancel_url\":\"" + base + "/cancel\"}")));
        stubFor(get(urlPathEqualTo(QUEUE + "/fal-ai/elsewhere/requests/" + ID + "/status"))
                .willReturn(okJson(completed())));
        stubFor(get(urlPathEqualTo(QUEUE + "/fal-ai/elsewhere/requests/" + ID)).willReturn(okJson("{\"v\":1}")));
        stubFor(put(urlPathEqualTo(QUEUE + "/fal-ai/elsewhere/requests/" + ID + "/cancel"))
                .willReturn(json(202, "{\"status\":\"CANCELLATION_REQUESTED\"}")));
        try (FalClient fal = builder(wm).build()) {
            SyncRequestHandle handle = fal.submit("fal-ai/flux/dev", Map.of());
            assertThat(handle.async().statusUrl()).isEqualTo(base + "/status");
            assertThat(handle.status(true)).isInstanceOf(Completed.class);
            assertThat(handle.get().get("v").asInt()).isEqualTo(1);
            handle.cancel();
        }
        wm.getWireMock().verifyThat(1, getRequestedFor(urlPathEqualTo(QUEUE + "/fal-ai/elsewhere/requests/" + ID
                + "/status")).withQueryParam("logs", equalTo("1")));
        wm.getWireMock().verifyThat(1, putRequestedFor(urlPathEqualTo(QUEUE + "/fal-ai/elsewhere/requests/" + ID
                + "/cancel")));
    }

    @Test
    void serverReturnedUrlsOutsideTheQueueUrlAreRebuilt(WireMockRuntimeInfo wm) {
        String foreign = "https://queue.fal.run/fal-ai/flux/requests/" + ID;
        stubFor(post(urlPathEqualTo(QUEUE + "/fal-ai/flux/dev")).willReturn(okJson("{\"request_id\":\"" + ID
                + "\",\"status_url\":\"" + foreign + "/status\",\"response_url\":\"" + foreign
                + "\",\"cancel_url\":\"" + foreign + "/cancel\"}")));
        stubFor(statusStub("fal-ai/flux", ID).willReturn(okJson(completed())));
        stubFor(resultStub("fal-ai/flux", ID).willReturn(okJson("{\"v\":2}")));
        stubFor(put(urlPathEqualTo(requestPath("fal-ai/flux", ID) + "/cancel"))
                .willReturn(json(400, "{\"status\":\"ALREADY_COMPLETED\"}")));
        try (FalClient fal = builder(wm).build()) {
            SyncRequestHandle handle = fal.submit("fal-ai/flux/dev", Map.of());
            assertThat(handle.async().statusUrl()).isEqualTo(wm.getHttpBaseUrl() + requestPath("fal-ai/flux", ID)
                    + "/status");
            assertThat(handle.async().responseUrl()).isEqualTo(wm.getHttpBaseUrl() + requestPath("fal-ai/flux", ID));
            assertThat(handle.async().cancelUrl()).isEqualTo(wm.getHttpBaseUrl() + requestPath("fal-ai/flux", ID)
                    + "/cancel");
            assertThat(handle.get().get("v").asInt()).isEqualTo(2);
            handle.cancel();
        }
        // sub-path dropped, prefix kept
        wm.getWireMock().verifyThat(1, getRequestedFor(urlPathEqualTo(requestPath("fal-ai/flux", ID))));
        wm.getWireMock().verifyThat(1, putRequestedFor(urlPathEqualTo(requestPath("fal-ai/flux", ID) + "/cancel")));
    }

    @Test
    void submitReplyMissingUrlsFallsBackToDerivedUrls(WireMockRuntimeInfo wm) {
        stubFor(post(urlPathEqualTo(QUEUE + "/workflows/me/flow")).willReturn(okJson("{\"request_id\":\"" + ID
                + "\"}")));
        try (FalClient fal = builder(wm).build()) {
            SyncRequestHandle handle = fal.submit("workflows/me/flow", Map.of());
            assertThat(handle.async().statusUrl())
                    .isEqualTo(wm.getHttpBaseUrl() + QUEUE + "/workflows/me/flow/requests/" + ID + "/status");
        }
    }

    @Test
    void submitReplyWithoutRequestIdFails(WireMockRuntimeInfo wm) {
        stubFor(post(urlPathEqualTo(QUEUE + "/" + APP)).willReturn(okJson("{\"status\":\"IN_QUEUE\"}")));
        try (FalClient fal = builder(wm).build()) {
            assertThatThrownBy(() -> fal.submit(APP, Map.of()))
                    .isInstanceOfSatisfying(FalException.class, e -> assertThat(e.possiblySubmitted()).isTrue())
                    .hasMessageContaining("request_id");
        }
    }

    @Test
    void malformedEndpointIdAndNullArgumentsFailBeforeAnyCall(WireMockRuntimeInfo wm) {
        try (FalClient fal = builder(wm).build()) {
            assertThatThrownBy(() -> fal.submit("justname", Map.of())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("owner/alias");
            assertThatThrownBy(() -> fal.run("a//b", Map.of())).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> fal.submit(APP, null)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> fal.handle(APP, " ")).isInstanceOf(IllegalArgumentException.class);
        }
        wm.getWireMock().verifyThat(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void legacyIdIsNormalisedInUrls(WireMockRuntimeInfo wm) {
        stubFor(post(urlPathEqualTo(QUEUE + "/1234/myapp")).willReturn(okJson("{\"request_id\":\"" + ID + "\"}")));
        stubFor(statusStub("1234/myapp", ID).willReturn(okJson(queued(5))));
        try (FalClient fal = builder(wm).build()) {
            assertThat(fal.submit("1234-myapp", Map.of()).status()).isEqualTo(new Queued(5));
        }
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(QUEUE + "/1234/myapp")));
    }
}
