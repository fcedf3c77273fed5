package dev.falclient.emulator;

import static dev.falclient.emulator.Http.awaitCompleted;
import static dev.falclient.emulator.Http.get;
import static dev.falclient.emulator.Http.post;
import static dev.falclient.emulator.Http.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

class FaultTests extends EmulatorTestBase {

    @BeforeEach
    void start() {
        emu = FalEmulator.builder().processingTime(Duration.ofMillis(100)).start();
    }

    private JsonNode submit() {
        return post(emu.queueUrl() + "/fal-ai/fast-sdxl", "{}").json();
    }

    @Test
    void httpStatusWithRetryAfterForTheNextNCalls() {
        JsonNode sub = submit();
        emu.fault(CallKind.STATUS).times(2).httpStatus(429).retryAfter(Duration.ofMillis(1500))
                .errorType("rate_limited");
        String url = sub.path("status_url").asString();
        for (int i = 0; i < 2; i++) {
            Http.Resp r = get(url);
            assertThat(r.status()).isEqualTo(429);
            assertThat(r.header("Retry-After")).isEqualTo("2");
            assertThat(r.header("x-fal-request-id")).isEqualTo(sub.path("request_id").asString());
            assertThat(r.header("x-fal-error-type")).isEqualTo("rate_limited");
            assertThat(r.json().path("detail").asString()).isEqualTo("Too Many Requests");
        }
        assertThat(get(url).status()).isIn(200, 202);
    }

    @Test
    void ingressStyleAnswersHtmlWithoutRequestIdAndEnqueuesNothing() {
        // one worker, taken for good by the first request it gets: a faulted submit that had been enqueued anyway
        // would keep the next request waiting
        emu.endpoint("fal-ai/fast-sdxl").workers(1).processingTime(QueueProtocolTests.FOREVER);
        emu.fault(CallKind.SUBMIT).times(1).httpStatus(502).ingressStyle();
        Http.Resp r = post(emu.queueUrl() + "/fal-ai/fast-sdxl", "{}");
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.header("content-type")).startsWith("text/html");
        assertThat(r.header("x-fal-request-id")).isNull();
        assertThat(r.body()).contains("<center>nginx</center>").contains("502 Bad Gateway");

        Http.Resp next = post(emu.queueUrl() + "/fal-ai/fast-sdxl", "{}");
        assertThat(next.status()).isEqualTo(200);
        assertThat(next.json().path("queue_position").asInt()).isZero();
        assertThat(Http.state(next.json().path("status_url").asString())).isEqualTo("IN_PROGRESS");
        // the id the faulted call was recorded under is not a request
        String faulted = emu.requests(CallKind.SUBMIT).get(0).requestId();
        assertThat(faulted).isNotBlank().isNotEqualTo(next.json().path("request_id").asString());
        assertThat(get(emu.queueUrl() + "/fal-ai/fast-sdxl/requests/" + faulted + "/status").status()).isEqualTo(404);
    }

    @Test
    void customBodyFault() {
        emu.fault(CallKind.RUN).httpStatus(503).body("text/plain", "upstream busy");
        Http.Resp r = post(emu.runUrl() + "/fal-ai/x", "{}");
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.body()).isEqualTo("upstream busy");
        assertThat(r.header("content-type")).startsWith("text/plain");
    }

    @Test
    void delayThenNormalAnswer() {
        JsonNode sub = submit();
        awaitCompleted(sub.path("status_url").asString());
        Fault fault = emu.fault(CallKind.RESULT).times(1).delay(Duration.ofMillis(400));
        long t0 = System.nanoTime();
        Http.Resp r = get(sub.path("response_url").asString());
        assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(390);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().has("images")).isTrue();
        // used up: the next call is not delayed again
        assertThat(fault.remaining()).isZero();
        assertThat(get(sub.path("response_url").asString()).status()).isEqualTo(200);
    }

    @Test
    void droppedConnection() throws Exception {
        JsonNode sub = submit();
        emu.fault(CallKind.STATUS).times(1).dropConnection();
        java.net.URI uri = java.net.URI.create(sub.path("status_url").asString());
        try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("GET " + uri.getPath() + " HTTP/1.1\r\nHost: x\r\nAuthorization: "
                    + Http.KEY + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            assertThat(socket.getInputStream().read()).isEqualTo(-1); // closed, not a single byte answered
        }
        assertThat(emu.requests(CallKind.STATUS)).hasSize(1);
        assertThat(get(sub.path("status_url").asString()).status()).isIn(200, 202);
    }

    @Test
    void malformedJson() {
        JsonNode sub = submit();
        awaitCompleted(sub.path("status_url").asString());
        emu.fault(CallKind.RESULT).times(1).malformedJson();
        Http.Resp r = get(sub.path("response_url").asString());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("content-type")).startsWith("application/json");
        assertThatThrownBy(r::json).isInstanceOf(JacksonException.class);
        assertThat(get(sub.path("response_url").asString()).json().has("images")).isTrue();
    }

    @Test
    void statusStreamClosedBeforeCompleted() {
        emu.endpoint("fal-ai/fast-sdxl").processingTime(QueueProtocolTests.FOREVER);
        JsonNode sub = submit();
        HttpRequest stream = Http.request(sub.path("status_url").asString() + "/stream").GET().build();
        emu.fault(CallKind.STATUS_STREAM).times(1).closeStreamEarly();
        List<JsonNode> events = Http.events(Http.sseLines(stream));
        assertThat(events).singleElement()
                .satisfies(e -> assertThat(e.path("status").asString()).isEqualTo("IN_PROGRESS"));
        // the next stream runs to the end
        Http.OpenStream again = Http.open(stream).awaitEvents(1);
        put(sub.path("cancel_url").asString());
        assertThat(Http.events(again.awaitEnd())).extracting(e -> e.path("status").asString())
                .containsExactly("IN_PROGRESS", "COMPLETED");
    }

    @Test
    void faultsQueueUpPerKindAndResetClearsThem() {
        emu.fault(CallKind.SUBMIT).httpStatus(500);
        emu.fault(CallKind.SUBMIT).httpStatus(503);
        assertThat(post(emu.queueUrl() + "/fal-ai/x", "{}").status()).isEqualTo(500);
        assertThat(post(emu.queueUrl() + "/fal-ai/x", "{}").status()).isEqualTo(503);
        assertThat(post(emu.queueUrl() + "/fal-ai/x", "{}").status()).isEqualTo(200);
        emu.fault(CallKind.SUBMIT).times(5).httpStatus(500);
        emu.reset();
        assertThat(post(emu.queueUrl() + "/fal-ai/x", "{}").status()).isEqualTo(200);
    }
}
