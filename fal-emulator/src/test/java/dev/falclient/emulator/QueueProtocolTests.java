package dev.falclient.emulator;

import static dev.falclient.emulator.Http.awaitCompleted;
import static dev.falclient.emulator.Http.get;
import static dev.falclient.emulator.Http.post;
import static dev.falclient.emulator.Http.put;
import static dev.falclient.emulator.Http.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The queue protocol. Jobs that a test must catch in a state run for an hour ({@link #FOREVER}) and move on only when
 * the test cancels them, so no assertion depends on how fast the machine is.
 */
class QueueProtocolTests extends EmulatorTestBase {

    static final Duration FOREVER = Duration.ofHours(1);


    @Test
    void submitAnswersTheQueueShapeWithAbsoluteUrlsKeepingThePathPrefix() {
        emu = FalEmulator.builder().pathPrefix("/gateway").processingTime(Duration.ofMillis(50)).start();
        assertThat(emu.baseUrl()).isEqualTo("http://127.0.0.1:" + emu.port() + "/gateway");
        assertThat(emu.queueUrl()).isEqualTo(emu.baseUrl() + "/queue");
        assertThat(emu.runUrl()).isEqualTo(emu.baseUrl() + "/run");
        assertThat(emu.restUrl()).isEqualTo(emu.baseUrl() + "/rest");
        assertThat(emu.cdnUrl()).isEqualTo(emu.baseUrl() + "/cdn");

        Http.Resp r = post(emu.queueUrl() + "/fal-ai/flux/dev", "{\"prompt\":\"a cat\"}");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("content-type")).startsWith("application/json");
        JsonNode body = r.json();
        String id = body.path("request_id").asString();
        assertThat(id).matches("[0-9a-f-]{36}");
        assertThat(r.header("x-fal-request-id")).isEqualTo(id);
        String responseUrl = emu.queueUrl() + "/fal-ai/flux/requests/" + id;
        assertThat(body.path("response_url").asString()).isEqualTo(responseUrl);
        assertThat(body.path("status_url").asString()).isEqualTo(responseUrl + "/status");
        assertThat(body.path("cancel_url").asString()).isEqualTo(responseUrl + "/cancel");
        assertThat(body.path("status").asString()).isEqualTo("IN_QUEUE");
        assertThat(body.path("queue_position").asInt()).isZero();
        assertThat(body.has("gateway_request_id")).isFalse();

        // the returned URLs work; the sub-path must not be used for request-scoped calls
        assertThat(awaitCompleted(body.path("status_url").asString()).path("status").asString()).isEqualTo("COMPLETED");
        assertThat(get(emu.queueUrl() + "/fal-ai/flux/dev/requests/" + id + "/status").status()).isEqualTo(404);
        assertThat(get(emu.queueUrl() + "/fal-ai/other/requests/" + id + "/status").status()).isEqualTo(404);
    }

    @Test
    void namespacedIdsKeepThreeSegmentsAndWebhooksAreRecorded() {
        emu = FalEmulator.builder().processingTime(Duration.ofMillis(50)).start();
        String hook = "https://example.com/hook?x=1";
        Http.Resp r = post(emu.queueUrl() + "/workflows/fal-ai/sdxl-sticker/extra?fal_webhook="
                + URLEncoder.encode(hook, StandardCharsets.UTF_8), "{}");

        JsonNode body = r.json();
        String id = body.path("request_id").asString();
        assertThat(body.path("response_url").asString())
                .isEqualTo(emu.queueUrl() + "/workflows/fal-ai/sdxl-sticker/requests/" + id);
        assertThat(body.path("gateway_request_id").asString()).isEqualTo(id);
        assertThat(emu.webhooks()).singleElement().satisfies(w -> {
            assertThat(w.requestId()).isEqualTo(id);
            assertThat(w.url()).isEqualTo(hook);
        });
        assertThat(awaitCompleted(body.path("status_url").asString()).path("status").asString()).isEqualTo("COMPLETED");
    }

    @Test
    void legacyNumericIdsAreAccepted() {
        emu = FalEmulator.builder().processingTime(Duration.ofMillis(10)).start();
        JsonNode body = post(emu.queueUrl() + "/1234-myapp", "{}").json();
        assertThat(body.path("response_url").asString()).contains("/queue/1234/myapp/requests/");
    }

    @Test
    void queuePositionsCountDownWithOneWorker() {
        emu = FalEmulator.builder().workers(1).logLines(0).start();
        EndpointScript script = emu.endpoint("fal-ai/fast-sdxl").processingTime(FOREVER);
        String url = emu.queueUrl() + "/fal-ai/fast-sdxl";
        JsonNode a = post(url, "{}").json();
        JsonNode b = post(url, "{}").json();
        JsonNode c = post(url, "{}").json();
        script.processingTime(Duration.ofMillis(20)); // only d, submitted after this, finishes on its own
        JsonNode d = post(url, "{}").json();
        assertThat(a.path("queue_position").asInt()).isZero();
        // a was taken by the worker right away: b is first in line, c second
        assertThat(b.path("queue_position").asInt()).isZero();
        assertThat(c.path("queue_position").asInt()).isEqualTo(1);
        assertThat(d.path("queue_position").asInt()).isEqualTo(2);

        Http.Resp first = get(a.path("status_url").asString());
        assertThat(first.status()).isEqualTo(202);
        assertThat(first.json().path("status").asString()).isEqualTo("IN_PROGRESS");

        // each cancel frees the worker for the next in line; c is polled after each step
        String cStatus = c.path("status_url").asString();
        List<String> seen = new ArrayList<>();
        seen.add(positionOrState(cStatus));
        put(a.path("cancel_url").asString());
        seen.add(positionOrState(cStatus));
        put(b.path("cancel_url").asString());
        seen.add(positionOrState(cStatus));
        put(c.path("cancel_url").asString());
        seen.add(positionOrState(cStatus));
        assertThat(seen).containsExactly("Q1/202", "Q0/202", "IN_PROGRESS/202", "COMPLETED/200");

        // a request that runs to its end frees the worker as well: d, behind c, ran and completed
        JsonNode done = awaitCompleted(d.path("status_url").asString());
        assertThat(done.has("error")).isFalse();
    }

    private static String positionOrState(String statusUrl) {
        Http.Resp s = get(statusUrl);
        String state = s.json().path("status").asString();
        String shown = state.equals("IN_QUEUE") ? "Q" + s.json().path("queue_position").asInt() : state;
        return shown + "/" + s.status();
    }

    @Test
    void statusBodiesFollowTheProtocol() {
        emu = FalEmulator.builder().start();
        List<String> lines = List.of("loading", "step 1/2", "step 2/2");
        emu.endpoint("fal-ai/fast-sdxl").processingTime(FOREVER).logLines(lines);
        JsonNode sub = post(emu.queueUrl() + "/fal-ai/fast-sdxl", "{}").json();
        String statusUrl = sub.path("status_url").asString();

        Http.Resp inProgress = get(statusUrl);
        assertThat(inProgress.status()).isEqualTo(202);
        JsonNode p = inProgress.json();
        assertThat(p.path("status").asString()).isEqualTo("IN_PROGRESS");
        assertThat(p.has("logs")).isTrue();
        assertThat(p.path("logs").isNull()).isTrue();
        assertThat(p.path("request_id").asString()).isEqualTo(sub.path("request_id").asString());
        assertThat(p.path("response_url").asString()).isEqualTo(sub.path("response_url").asString());
        assertThat(p.path("cancel_url").asString()).isEqualTo(sub.path("cancel_url").asString());

        // the first line is logged when the job starts, by the emulator's timer
        AtomicReference<JsonNode> withLogs = new AtomicReference<>();
        await().atMost(Http.PATIENCE).until(() -> {
            withLogs.set(get(statusUrl + "?logs=1").json());
            return withLogs.get().path("logs").size() > 0;
        });
        JsonNode entry = withLogs.get().path("logs").get(0);
        assertThat(entry.path("message").asString()).isEqualTo("loading");
        assertThat(entry.path("level").asString()).isEqualTo("INFO");
        assertThat(entry.path("source").asString()).isEqualTo("USER");
        assertThat(java.time.Instant.parse(entry.path("timestamp").asString())).isNotNull();

        emu.endpoint("fal-ai/quick").processingTime(Duration.ofMillis(50)).logLines(lines);
        JsonNode quick = post(emu.queueUrl() + "/fal-ai/quick", "{}").json();
        JsonNode done = awaitCompleted(quick.path("status_url").asString());
        Http.Resp doneResp = get(quick.path("status_url").asString() + "?logs=true");
        assertThat(doneResp.status()).isEqualTo(200);
        assertThat(done.path("metrics").path("inference_time").asDouble()).isGreaterThanOrEqualTo(0.04);
        assertThat(done.has("error")).isFalse();
        assertThat(done.has("error_type")).isFalse();
        assertThat(doneResp.json().path("logs")).extracting(l -> l.path("message").asString())
                .containsExactlyElementsOf(lines);

        assertThat(get(emu.queueUrl() + "/fal-ai/fast-sdxl/requests/nope/status").status()).isEqualTo(404);
        assertThat(get(emu.queueUrl() + "/fal-ai/fast-sdxl/requests/nope/status").json().path("detail").asString())
                .isEqualTo("Request not found");
    }

    @Test
    void logsAreAMovingWindow() {
        // lines every 500 ms for 3 s, a 1 s window: for seconds on end the window holds late lines without l0
        emu = FalEmulator.builder().logWindow(Duration.ofSeconds(1)).start();
        List<String> lines = List.of("l0", "l1", "l2", "l3", "l4", "l5");
        emu.endpoint("fal-ai/logs").processingTime(Duration.ofSeconds(3)).logLines(lines);
        JsonNode sub = post(emu.queueUrl() + "/fal-ai/logs", "{}").json();
        String statusUrl = sub.path("status_url").asString() + "?logs=1";

        await().atMost(Http.PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> {
            List<String> window = logMessages(get(statusUrl).json());
            return !window.isEmpty() && !window.contains("l0");
        });
        // after the last line has left the window, nothing is left
        await().atMost(Http.PATIENCE).until(() -> {
            JsonNode s = get(statusUrl).json();
            return s.path("status").asString().equals("COMPLETED") && s.path("logs").isEmpty();
        });

        // the line cap
        FalEmulator capped = FalEmulator.builder().logWindowLines(2).start();
        try {
            capped.endpoint("fal-ai/logs").processingTime(Duration.ofMillis(100)).logLines(lines);
            JsonNode s2 = post(capped.queueUrl() + "/fal-ai/logs", "{}").json();
            awaitCompleted(s2.path("status_url").asString());
            assertThat(logMessages(get(s2.path("status_url").asString() + "?logs=1").json()))
                    .containsExactly("l4", "l5");
        } finally {
            capped.close();
        }
    }

    private static List<String> logMessages(JsonNode status) {
        List<String> msgs = new ArrayList<>();
        status.path("logs").forEach(e -> msgs.add(e.path("message").asString()));
        return msgs;
    }

    @Test
    void resultReturnsTheDefaultImageOutputAndThePngIsServed() throws Exception {
        emu = FalEmulator.builder().processingTime(Duration.ofMillis(50)).start();
        emu.endpoint("fal-ai/slow").processingTime(FOREVER);
        JsonNode slow = post(emu.queueUrl() + "/fal-ai/slow", "{}").json();
        Http.Resp early = get(slow.path("response_url").asString());
        assertThat(early.status()).isEqualTo(400);
        assertThat(early.json().path("detail").asString()).isEqualTo("Request is still in progress");

        JsonNode sub = post(emu.queueUrl() + "/fal-ai/fast-sdxl", "{\"prompt\":\"a red fox\",\"seed\":42}").json();
        String id = sub.path("request_id").asString();
        awaitCompleted(sub.path("status_url").asString());
        Http.Resp result = get(sub.path("response_url").asString());
        assertThat(result.status()).isEqualTo(200);
        assertThat(result.header("x-fal-request-id")).isEqualTo(id);
        JsonNode out = result.json();
        assertThat(out.path("prompt").asString()).isEqualTo("a red fox");
        assertThat(out.path("seed").asLong()).isEqualTo(42);
        assertThat(out.path("has_nsfw_concepts").get(0).asBoolean()).isFalse();
        assertThat(out.path("timings").path("inference").asDouble()).isPositive();
        JsonNode image = out.path("images").get(0);
        assertThat(image.path("url").asString()).isEqualTo(emu.cdnUrl() + "/files/" + id + ".png");
        assertThat(image.path("width").asInt()).isEqualTo(512);
        assertThat(image.path("content_type").asString()).isEqualTo("image/png");

        var png = Http.CLIENT.send(HttpRequest.newBuilder(URI.create(image.path("url").asString())).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(png.statusCode()).isEqualTo(200);
        assertThat(png.headers().firstValue("content-type")).contains("image/png");
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png.body()));
        assertThat(img).isNotNull();
        assertThat(img.getWidth()).isEqualTo(512);
        assertThat(img.getHeight()).isEqualTo(512);
        assertThat(emu.requests(CallKind.FILE)).hasSize(1);

        assertThat(get(emu.queueUrl() + "/fal-ai/fast-sdxl/requests/unknown").status()).isEqualTo(404);
    }

    @Test
    void cancelAnswers202ForQueued400ForCompleted404ForUnknown() {
        emu = FalEmulator.builder().workers(1).processingTime(FOREVER).start();
        String url = emu.queueUrl() + "/fal-ai/fast-sdxl";
        JsonNode running = post(url, "{}").json();
        JsonNode queued = post(url, "{}").json();
        JsonNode behind = post(url, "{}").json();
        assertThat(behind.path("queue_position").asInt()).isEqualTo(1);

        Http.Resp c = put(queued.path("cancel_url").asString());
        assertThat(c.status()).isEqualTo(202);
        assertThat(c.json().path("status").asString()).isEqualTo("CANCELLATION_REQUESTED");
        // removed from the queue: the one behind moved up
        assertThat(get(behind.path("status_url").asString()).json().path("queue_position").asInt()).isZero();
        JsonNode cancelled = get(queued.path("status_url").asString()).json();
        assertThat(cancelled.path("status").asString()).isEqualTo("COMPLETED");
        assertThat(cancelled.path("error_type").asString()).isEqualTo("client_cancelled");
        Http.Resp cancelledResult = get(queued.path("response_url").asString());
        assertThat(cancelledResult.status()).isEqualTo(499);
        assertThat(cancelledResult.header("x-fal-error-type")).isEqualTo("client_cancelled");

        // in progress: cancelled right away, the next request starts
        Http.Resp c2 = put(running.path("cancel_url").asString());
        assertThat(c2.status()).isEqualTo(202);
        assertThat(get(running.path("status_url").asString()).json().path("error").asString()).isEqualTo("Cancelled");
        assertThat(state(behind.path("status_url").asString())).isEqualTo("IN_PROGRESS");

        // completed, whether cancelled before or run to its end
        Http.Resp c3 = put(running.path("cancel_url").asString());
        assertThat(c3.status()).isEqualTo(400);
        assertThat(c3.json().path("status").asString()).isEqualTo("ALREADY_COMPLETED");
        emu.endpoint("fal-ai/quick").processingTime(Duration.ofMillis(10));
        JsonNode quick = post(emu.queueUrl() + "/fal-ai/quick", "{}").json();
        awaitCompleted(quick.path("status_url").asString());
        assertThat(put(quick.path("cancel_url").asString()).status()).isEqualTo(400);

        Http.Resp c4 = put(url + "/requests/does-not-exist/cancel");
        assertThat(c4.status()).isEqualTo(404);
        assertThat(c4.json().path("status").asString()).isEqualTo("NOT_FOUND");

        assertThat(get(url + "/requests/" + behind.path("request_id").asString() + "/cancel").status())
                .isEqualTo(405);
    }

    @Test
    void scriptedFailureCompletesWithErrorAndResultAnswersTheScriptedStatus() {
        emu = FalEmulator.builder().processingTime(Duration.ofMillis(20)).start();
        emu.endpoint("fal-ai/broken").failWith("Runner crashed", "runner_server_error", 500);
        JsonNode sub = post(emu.queueUrl() + "/fal-ai/broken", "{}").json();
        JsonNode done = awaitCompleted(sub.path("status_url").asString());
        assertThat(done.path("error").asString()).isEqualTo("Runner crashed");
        assertThat(done.path("error_type").asString()).isEqualTo("runner_server_error");
        Http.Resp result = get(sub.path("response_url").asString());
        assertThat(result.status()).isEqualTo(500);
        assertThat(result.header("X-Fal-Error-Type")).isEqualTo("runner_server_error");
        assertThat(result.header("x-fal-request-id")).isEqualTo(sub.path("request_id").asString());
        assertThat(result.json().path("detail").asString()).isEqualTo("Runner crashed");
        assertThat(result.json().path("error_type").asString()).isEqualTo("runner_server_error");

        // a custom body
        emu.endpoint("fal-ai/broken").failWith("bad", "bad_request", 400,
                Http.MAPPER.readTree("{\"detail\":\"custom\"}"));
        JsonNode sub2 = post(emu.queueUrl() + "/fal-ai/broken", "{}").json();
        awaitCompleted(sub2.path("status_url").asString());
        Http.Resp r2 = get(sub2.path("response_url").asString());
        assertThat(r2.status()).isEqualTo(400);
        assertThat(r2.body()).isEqualTo("{\"detail\":\"custom\"}");
    }

    @Test
    void validationErrorMakesTheResultAnswer422() {
        emu = FalEmulator.builder().processingTime(Duration.ofMillis(20)).start();
        emu.endpoint("fal-ai/strict/v2").validationError(List.of(
                EndpointScript.FieldError.of("prompt", "field required")));
        JsonNode sub = post(emu.queueUrl() + "/fal-ai/strict/v2", "{}").json();
        awaitCompleted(sub.path("status_url").asString());
        Http.Resp r = get(sub.path("response_url").asString());
        assertThat(r.status()).isEqualTo(422);
        JsonNode d = r.json().path("detail").get(0);
        assertThat(d.path("loc").get(0).asString()).isEqualTo("body");
        assertThat(d.path("loc").get(1).asString()).isEqualTo("prompt");
        assertThat(d.path("msg").asString()).isEqualTo("field required");
        assertThat(d.path("type").asString()).isEqualTo("value_error");
    }

    @Test
    void scriptedOutputsFixedAndComputed() {
        emu = FalEmulator.builder().processingTime(Duration.ofMillis(20)).start();
        emu.endpoint("fal-ai/fixed").output(Http.MAPPER.readTree("{\"text\":\"hello\"}"));
        emu.endpoint("fal-ai/echo").output(in -> Http.MAPPER.createObjectNode()
                .put("upper", in.path("prompt").asString().toUpperCase()));
        emu.endpoint("fal-ai/throws").output(in -> {
            throw new IllegalStateException("boom");
        });

        JsonNode a = post(emu.queueUrl() + "/fal-ai/fixed", "{}").json();
        JsonNode b = post(emu.queueUrl() + "/fal-ai/echo/sub", "{\"prompt\":\"abc\"}").json();
        JsonNode c = post(emu.queueUrl() + "/fal-ai/throws", "{}").json();
        awaitCompleted(a.path("status_url").asString());
        awaitCompleted(b.path("status_url").asString());
        JsonNode cs = awaitCompleted(c.path("status_url").asString());
        assertThat(get(a.path("response_url").asString()).body()).isEqualTo("{\"text\":\"hello\"}");
        assertThat(get(b.path("response_url").asString()).json().path("upper").asString()).isEqualTo("ABC");
        assertThat(cs.path("error_type").asString()).isEqualTo("runner_server_error");
        assertThat(get(c.path("response_url").asString()).status()).isEqualTo(500);

        // reset returns to the default image output
        emu.endpoint("fal-ai/fixed").reset();
        JsonNode d = post(emu.queueUrl() + "/fal-ai/fixed", "{}").json();
        awaitCompleted(d.path("status_url").asString());
        assertThat(get(d.path("response_url").asString()).json().has("images")).isTrue();
    }

    @Test
    void invalidJsonInputIsRejectedWith422() {
        emu = FalEmulator.start();
        Http.Resp r = post(emu.queueUrl() + "/fal-ai/x", "{not json");
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().path("detail").isArray()).isTrue();
    }
}
