package dev.falclient.emulator;

import static dev.falclient.emulator.Http.await;
import static dev.falclient.emulator.Http.awaitCompleted;
import static dev.falclient.emulator.Http.get;
import static dev.falclient.emulator.Http.post;
import static dev.falclient.emulator.Http.put;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class QueueProtocolTest {

    private FalEmulator emu;

    @AfterEach
    void stop() {
        if (emu != null) {
            emu.close();
        }
    }

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
    void authIsRequiredExceptForGeneratedFiles() throws Exception {
        emu = FalEmulator.builder().requiredKey("secret").processingTime(Duration.ofMillis(10)).start();
        String url = emu.queueUrl() + "/fal-ai/fast-sdxl";

        Http.Resp none = Http.send(HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("content-type")).startsWith("application/json");
        assertThat(none.json().path("detail").isString()).isTrue();

        Http.Resp wrong = post(url, "{}"); // Http sends "Key test-key"
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().path("detail").asString()).isEqualTo("No user found for Key ID and Secret");

        Http.Resp empty = Http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Key ")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(empty.status()).isEqualTo(401);

        Http.Resp ok = Http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Key secret")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(ok.status()).isEqualTo(200);
        assertThat(emu.requests(CallKind.SUBMIT)).hasSize(4);

        // a status call needs auth too
        assertThat(get(ok.json().path("status_url").asString()).status()).isEqualTo(401);
        // files are public
        Http.Resp png = Http.send(HttpRequest.newBuilder(URI.create(emu.cdnUrl() + "/files/whatever.png")).build());
        assertThat(png.status()).isEqualTo(200);
    }

    @Test
    void anyNonEmptyKeyIsAcceptedByDefault() {
        emu = FalEmulator.start();
        assertThat(post(emu.queueUrl() + "/fal-ai/fast-sdxl", "{}").status()).isEqualTo(200);
    }

    @Test
    void queuePositionsCountDownWithOneWorker() {
        emu = FalEmulator.builder().workers(1).processingTime(Duration.ofMillis(400)).logLines(0).start();
        String url = emu.queueUrl() + "/fal-ai/fast-sdxl";
        JsonNode a = post(url, "{}").json();
        JsonNode b = post(url, "{}").json();
        JsonNode c = post(url, "{}").json();
        assertThat(a.path("queue_position").asInt()).isZero();
        // a was taken by the worker right away: b is first in line, c second
        assertThat(b.path("queue_position").asInt()).isZero();
        assertThat(c.path("queue_position").asInt()).isEqualTo(1);

        Http.Resp first = get(a.path("status_url").asString());
        assertThat(first.status()).isEqualTo(202);
        assertThat(first.json().path("status").asString()).isEqualTo("IN_PROGRESS");

        List<String> seen = new ArrayList<>();
        await(Duration.ofSeconds(5), () -> {
            Http.Resp s = get(c.path("status_url").asString());
            JsonNode j = s.json();
            String state = j.path("status").asString();
            String entry = state.equals("IN_QUEUE") ? "Q" + j.path("queue_position").asInt() : state;
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(entry)) {
                seen.add(entry);
            }
            assertThat(s.status()).isEqualTo(state.equals("COMPLETED") ? 200 : 202);
            return state.equals("COMPLETED");
        });
        assertThat(seen).containsExactly("Q1", "Q0", "IN_PROGRESS", "COMPLETED");
    }

    @Test
    void statusBodiesFollowTheProtocol() {
        emu = FalEmulator.builder().processingTime(Duration.ofMillis(600)).start();
        emu.endpoint("fal-ai/fast-sdxl").logLines(List.of("loading", "step 1/2", "step 2/2"));
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

        JsonNode withLogs = get(statusUrl + "?logs=1").json();
        assertThat(withLogs.path("logs").isArray()).isTrue();
        JsonNode entry = withLogs.path("logs").get(0);
        assertThat(entry.path("message").asString()).isEqualTo("loading");
        assertThat(entry.path("level").asString()).isEqualTo("INFO");
        assertThat(entry.path("source").asString()).isEqualTo("USER");
        assertThat(java.time.Instant.parse(entry.path("timestamp").asString())).isNotNull();

        JsonNode done = awaitCompleted(statusUrl);
        Http.Resp doneResp = get(statusUrl + "?logs=true");
        assertThat(doneResp.status()).isEqualTo(200);
        assertThat(done.path("metrics").path("inference_time").asDouble()).isGreaterThanOrEqualTo(0.55);
        assertThat(done.has("error")).isFalse();
        assertThat(done.has("error_type")).isFalse();
        assertThat(doneResp.json().path("logs").size()).isEqualTo(3);

        assertThat(get(emu.queueUrl() + "/fal-ai/fast-sdxl/requests/nope/status").status()).isEqualTo(404);
        assertThat(get(emu.queueUrl() + "/fal-ai/fast-sdxl/requests/nope/status").json().path("detail").asString())
                .isEqualTo("Request not found");
    }

    @Test
    void logsAreAMovingWindow() {
        emu = FalEmulator.builder().logWindow(Duration.ofMillis(150)).start();
        List<String> lines = List.of("l0", "l1", "l2", "l3", "l4", "l5");
        emu.endpoint("fal-ai/logs").processingTime(Duration.ofMillis(600)).logLines(lines);
        JsonNode sub = post(emu.queueUrl() + "/fal-ai/logs", "{}").json();
        String statusUrl = sub.path("status_url").asString() + "?logs=1";

        List<List<String>> windows = new ArrayList<>();
        await(Duration.ofSeconds(5), () -> {
            JsonNode s = get(statusUrl).json();
            List<String> msgs = new ArrayList<>();
            s.path("logs").forEach(e -> msgs.add(e.path("message").asString()));
            windows.add(msgs);
            return s.path("status").asString().equals("COMPLETED");
        });
        // never the whole history: late windows hold the newest lines without the oldest ones
        assertThat(windows).noneSatisfy(w -> assertThat(w).containsAll(lines));
        assertThat(windows).anySatisfy(w -> assertThat(w).contains("l4").doesNotContain("l0"));
        // after the window passed, nothing is left
        await(Duration.ofSeconds(2), () -> get(statusUrl).json().path("logs").isEmpty());

        // the line cap
        FalEmulator capped = FalEmulator.builder().logWindowLines(2).start();
        try {
            capped.endpoint("fal-ai/logs").processingTime(Duration.ofMillis(100)).logLines(lines);
            JsonNode s2 = post(capped.queueUrl() + "/fal-ai/logs", "{}").json();
            JsonNode done = awaitCompleted(s2.path("status_url").asString());
            JsonNode logs = get(s2.path("status_url").asString() + "?logs=1").json().path("logs");
            assertThat(logs.size()).isEqualTo(2);
            assertThat(logs.get(1).path("message").asString()).isEqualTo("l5");
            assertThat(done).isNotNull();
        } finally {
            capped.close();
        }
    }

    @Test
    void statusStreamSendsOneEventPerChangeEndsWithCompletedAndCloses() {
        emu = FalEmulator.builder().workers(1).start();
        emu.endpoint("fal-ai/fast-sdxl").processingTime(Duration.ofMillis(200))
                .logLines(List.of("loading", "step 1/2", "step 2/2"));
        String url = emu.queueUrl() + "/fal-ai/fast-sdxl";
        post(url, "{}"); // keeps the only worker busy
        JsonNode target = post(url, "{}").json();

        List<String> lines = Http.sseLines(Http.request(target.path("status_url").asString() + "/stream?logs=1")
                .header("Accept", "text/event-stream").GET().build(), Duration.ofSeconds(10));
        List<JsonNode> events = Http.events(lines);

        assertThat(lines).noneMatch(l -> l.startsWith(":"));
        assertThat(events.get(0).path("status").asString()).isEqualTo("IN_QUEUE");
        assertThat(events.get(0).path("queue_position").asInt()).isZero();
        assertThat(events.get(events.size() - 1).path("status").asString()).isEqualTo("COMPLETED");
        assertThat(events.get(events.size() - 1).path("metrics").has("inference_time")).isTrue();
        assertThat(events).filteredOn(e -> e.path("status").asString().equals("COMPLETED")).hasSize(1);
        assertThat(events).anyMatch(e -> e.path("status").asString().equals("IN_PROGRESS"));
        // every event carries only the new log lines: all together give each line once, in order
        List<String> allLogs = new ArrayList<>();
        events.forEach(e -> e.path("logs").forEach(l -> allLogs.add(l.path("message").asString())));
        assertThat(allLogs).containsExactly("loading", "step 1/2", "step 2/2");
        assertThat(events.get(1).path("request_id").asString()).isEqualTo(target.path("request_id").asString());
    }

    @Test
    void statusStreamOfACompletedRequestSendsOneEvent() {
        emu = FalEmulator.builder().processingTime(Duration.ofMillis(10)).start();
        JsonNode sub = post(emu.queueUrl() + "/fal-ai/x", "{}").json();
        awaitCompleted(sub.path("status_url").asString());
        List<JsonNode> events = Http.events(Http.sseLines(
                Http.request(sub.path("status_url").asString() + "/stream").GET().build(), Duration.ofSeconds(5)));
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.path("status").asString()).isEqualTo("COMPLETED");
            assertThat(e.path("logs").isNull()).isTrue();
        });
    }

    @Test
    void streamKeepAliveIsOptIn() {
        emu = FalEmulator.builder().streamKeepAlive(Duration.ofMillis(40)).processingTime(Duration.ofMillis(300))
                .start();
        JsonNode sub = post(emu.queueUrl() + "/fal-ai/x", "{}").json();
        List<String> lines = Http.sseLines(
                Http.request(sub.path("status_url").asString() + "/stream").GET().build(), Duration.ofSeconds(5));
        assertThat(lines).contains(": ping");
        assertThat(Http.events(lines).get(Http.events(lines).size() - 1).path("status").asString())
                .isEqualTo("COMPLETED");
    }

    @Test
    void resultReturnsTheDefaultImageOutputAndThePngIsServed() throws Exception {
        emu = FalEmulator.builder().processingTime(Duration.ofMillis(150)).start();
        JsonNode sub = post(emu.queueUrl() + "/fal-ai/fast-sdxl", "{\"prompt\":\"a red fox\",\"seed\":42}").json();
        String id = sub.path("request_id").asString();

        Http.Resp early = get(sub.path("response_url").asString());
        assertThat(early.status()).isEqualTo(400);
        assertThat(early.json().path("detail").asString()).isEqualTo("Request is still in progress");

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
        emu = FalEmulator.builder().workers(1).processingTime(Duration.ofMillis(800)).start();
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
        assertThat(get(behind.path("status_url").asString()).json().path("status").asString()).isEqualTo("IN_PROGRESS");

        awaitCompleted(behind.path("status_url").asString());
        Http.Resp c3 = put(behind.path("cancel_url").asString());
        assertThat(c3.status()).isEqualTo(400);
        assertThat(c3.json().path("status").asString()).isEqualTo("ALREADY_COMPLETED");

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
