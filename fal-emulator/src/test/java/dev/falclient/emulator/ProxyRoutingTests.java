package dev.falclient.emulator;

import static dev.falclient.emulator.QueueProtocolTests.FOREVER;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The proxy protocol (fal-protocol.md section 11): every call goes to the proxy URL and names its real fal URL in
 * {@code x-fal-target-url}. The calls are shaped as fal-java 0.7.1 sends them with {@code proxyUrl} set: the proxy
 * URL without the target's query, the query only in the target, {@code content-type: application/json} and
 * {@code accept: application/json} even on GET, and a second {@code Accept} on the status stream.
 */
class ProxyRoutingTests extends EmulatorTestBase {

    private static final String QUEUE = "https://queue.fal.run";

    private static HttpRequest.Builder proxied(String proxyUrl, String target) {
        return Http.request(proxyUrl).header("x-fal-target-url", target)
                .header("content-type", "application/json").header("accept", "application/json");
    }

    private static Http.Resp post(String proxyUrl, String target, String json) {
        return Http.send(proxied(proxyUrl, target).POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private static Http.Resp get(String proxyUrl, String target) {
        return Http.send(proxied(proxyUrl, target).GET().build());
    }

    private static Http.Resp put(String proxyUrl, String target) {
        return Http.send(proxied(proxyUrl, target).PUT(HttpRequest.BodyPublishers.noBody()).build());
    }

    @Test
    void queueCallsThroughTheProxyFollowTheQueueProtocolAndNameFalsUrls() {
        emu = FalEmulator.builder().processingTime(Duration.ofMillis(100)).logLines(0).start();
        emu.endpoint("fal-ai/fast-sdxl")
                .output(in -> Http.MAPPER.createObjectNode().put("echo", in.path("p").asString()));
        String proxy = emu.proxyUrl();
        assertThat(proxy).isEqualTo(emu.baseUrl() + "/proxy");

        Http.Resp submitted = post(proxy, QUEUE + "/fal-ai/fast-sdxl", "{\"p\":\"x\"}");

        assertThat(submitted.status()).isEqualTo(200);
        JsonNode sub = submitted.json();
        String id = sub.path("request_id").asString();
        String responseUrl = QUEUE + "/fal-ai/fast-sdxl/requests/" + id;
        assertThat(sub.path("status").asString()).isEqualTo("IN_QUEUE");
        assertThat(sub.path("response_url").asString()).isEqualTo(responseUrl);
        assertThat(sub.path("status_url").asString()).isEqualTo(responseUrl + "/status");
        assertThat(sub.path("cancel_url").asString()).isEqualTo(responseUrl + "/cancel");

        // the status stream, as fal-java opens it (the query travels in the target only)
        List<JsonNode> events = Http.events(Http.sseLines(proxied(proxy, responseUrl + "/status/stream?logs=1")
                .header("Accept", "text/event-stream").GET().build()));
        assertThat(events).isNotEmpty();
        assertThat(events.get(events.size() - 1).path("status").asString()).isEqualTo("COMPLETED");
        assertThat(events).allSatisfy(e -> assertThat(e.path("status_url").asString()).startsWith(QUEUE + "/"));

        Http.Resp status = get(proxy, responseUrl + "/status?logs=1");
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.json().path("response_url").asString()).isEqualTo(responseUrl);
        assertThat(status.json().path("logs").isArray()).isTrue();

        Http.Resp result = get(proxy, responseUrl);
        assertThat(result.status()).isEqualTo(200);
        assertThat(result.header("x-fal-request-id")).isEqualTo(id);
        assertThat(result.json().path("echo").asString()).isEqualTo("x");

        Http.Resp cancel = put(proxy, responseUrl + "/cancel");
        assertThat(cancel.status()).isEqualTo(400);
        assertThat(cancel.json().path("status").asString()).isEqualTo("ALREADY_COMPLETED");

        // recorded under the path the target stands for, with the query of the target and the header itself
        assertThat(emu.requests()).extracting(RecordedRequest::kind).containsExactly(CallKind.SUBMIT,
                CallKind.STATUS_STREAM, CallKind.STATUS, CallKind.RESULT, CallKind.CANCEL);
        RecordedRequest s = emu.requests(CallKind.SUBMIT).get(0);
        assertThat(s.path()).isEqualTo("/queue/fal-ai/fast-sdxl");
        assertThat(s.header("x-fal-target-url")).isEqualTo(QUEUE + "/fal-ai/fast-sdxl");
        assertThat(emu.requests(CallKind.STATUS).get(0).queryParam("logs")).isEqualTo("1");
    }

    @Test
    void cancelAndWebhookQueryReachTheQueueThroughTheProxy() {
        emu = FalEmulator.builder().pathPrefix("/gateway").start();
        emu.endpoint("fal-ai/slow").processingTime(FOREVER);
        String hook = "https://example.com/hook?a=1";
        Http.Resp submitted = post(emu.proxyUrl(), QUEUE + "/workflows/fal-ai/slow/sub?fal_webhook="
                + java.net.URLEncoder.encode(hook, java.nio.charset.StandardCharsets.UTF_8), "{}");
        JsonNode sub = submitted.json();
        assertThat(sub.path("response_url").asString())
                .isEqualTo(QUEUE + "/workflows/fal-ai/slow/requests/" + sub.path("request_id").asString());
        assertThat(emu.webhooks()).singleElement().satisfies(w -> assertThat(w.url()).isEqualTo(hook));

        Http.Resp cancel = put(emu.proxyUrl(), sub.path("cancel_url").asString());

        assertThat(cancel.status()).isEqualTo(202);
        assertThat(cancel.json().path("status").asString()).isEqualTo("CANCELLATION_REQUESTED");
        // the same request answers directly too: a proxied call reaches the very queue a direct one does
        String direct = sub.path("status_url").asString().replace(QUEUE, emu.queueUrl());
        assertThat(Http.get(direct).json().path("error_type").asString()).isEqualTo("client_cancelled");
        assertThat(emu.requests(CallKind.SUBMIT).get(0).path()).isEqualTo("/gateway/queue/workflows/fal-ai/slow/sub");
    }

    @Test
    void runAndRestTargetsRouteToTheirHostsOnAnyPath() {
        emu = FalEmulator.builder().processingTime(Duration.ofMillis(10)).start();
        // a proxy may stand anywhere, e.g. at the conventional /api/fal/proxy; the target decides, not the path
        String elsewhere = emu.baseUrl() + "/api/fal/proxy";

        Http.Resp run = post(elsewhere, "https://fal.run/fal-ai/flux/dev", "{\"prompt\":\"sunset\"}");
        assertThat(run.status()).isEqualTo(200);
        assertThat(run.json().path("prompt").asString()).isEqualTo("sunset");

        List<JsonNode> streamed = Http.events(Http.sseLines(proxied(elsewhere, "https://fal.run/fal-ai/flux/dev/stream")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build()));
        assertThat(streamed).isNotEmpty();

        Http.Resp rest = post(elsewhere, "https://rest.fal.ai/storage/upload/initiate?storage_type=fal-cdn-v3",
                "{\"content_type\":\"image/png\",\"file_name\":\"a.png\"}");
        assertThat(rest.status()).isEqualTo(200);
        assertThat(rest.json().path("upload_url").asString()).startsWith(emu.baseUrl());
        Http.Resp tokens = post(elsewhere, "https://rest.fal.ai/tokens/", "{\"allowed_apps\":[\"flux\"]}");
        assertThat(tokens.status()).isEqualTo(200);
        assertThat(tokens.json().isString()).isTrue();
        Http.Resp keys = post(elsewhere, "https://rest.fal.ai/keys/", "{}");
        assertThat(keys.status()).isEqualTo(404);
        assertThat(keys.json().path("detail").asString()).startsWith("Not emulated");

        // a target wins over a path that would itself route
        Http.Resp overridden = post(emu.queueUrl() + "/fal-ai/other", "https://fal.run/fal-ai/flux", "{}");
        assertThat(overridden.json().has("images")).isTrue();
        assertThat(emu.requests()).extracting(RecordedRequest::kind)
                .containsExactly(CallKind.RUN, CallKind.STREAM, CallKind.UPLOAD_INITIATE, CallKind.REALTIME_TOKEN,
                        CallKind.OTHER, CallKind.RUN);
        assertThat(emu.requests(CallKind.SUBMIT)).isEmpty();
    }

    @Test
    void theKeyIsStillCheckedOnProxiedCalls() {
        emu = FalEmulator.builder().requiredKey("secret").start();
        String target = QUEUE + "/fal-ai/fast-sdxl";

        Http.Resp wrongKey = post(emu.proxyUrl(), target, "{}");
        Http.Resp noKey = Http.send(HttpRequest.newBuilder(java.net.URI.create(emu.proxyUrl()))
                .timeout(Http.PATIENCE).header("x-fal-target-url", target)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        Http.Resp rightKey = Http.send(proxied(emu.proxyUrl(), target).setHeader("Authorization", "Key secret")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());

        assertThat(wrongKey.status()).isEqualTo(401);
        assertThat(noKey.status()).isEqualTo(401);
        assertThat(noKey.json().path("detail").asString()).isEqualTo("Missing authorization header");
        assertThat(rightKey.status()).isEqualTo(200);
    }

    @Test
    void targetsOutsideFalAndCallsWithoutATargetAnswer400() {
        emu = FalEmulator.builder().start();
        for (String bad : List.of("https://evil.example/fal-ai/fast-sdxl", "https://queue.fal.run:8443/fal-ai/x",
                "https://user@queue.fal.run/fal-ai/x", "/fal-ai/fast-sdxl", "ftp://queue.fal.run/fal-ai/x",
                "https://queue.fal.run.evil.example/fal-ai/x", "not a url")) {
            Http.Resp r = post(emu.proxyUrl(), bad, "{}");
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.json().path("detail").asString()).as(bad).startsWith("Invalid request");
        }
        Http.Resp defaultPort = post(emu.proxyUrl(), "https://queue.fal.run:443/fal-ai/fast-sdxl", "{}");
        assertThat(defaultPort.status()).isEqualTo(200);

        Http.Resp noTarget = Http.post(emu.proxyUrl(), "{}");
        assertThat(noTarget.status()).isEqualTo(400);
        assertThat(noTarget.json().path("detail").asString()).contains("x-fal-target-url");
        assertThat(emu.requests(CallKind.SUBMIT)).hasSize(1);
    }
}
