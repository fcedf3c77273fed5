package dev.falclient.emulator;

import static dev.falclient.emulator.Http.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class RunAndStreamTests extends EmulatorTestBase {

    @Test
    void directRunReturnsTheOutputAfterTheProcessingTime() {
        emu = FalEmulator.builder().processingTime(Duration.ofMillis(150)).start();
        long t0 = System.nanoTime();
        Http.Resp r = post(emu.runUrl() + "/fal-ai/flux/dev", "{\"prompt\":\"sunset\"}");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.status()).isEqualTo(200);
        assertThat(ms).isGreaterThanOrEqualTo(140);
        String id = r.header("x-fal-request-id");
        assertThat(id).isNotBlank();
        JsonNode out = r.json();
        assertThat(out.path("prompt").asString()).isEqualTo("sunset");
        assertThat(out.path("images").get(0).path("url").asString()).isEqualTo(emu.cdnUrl() + "/files/" + id + ".png");
        assertThat(emu.requests(CallKind.RUN)).singleElement().satisfies(rec -> {
            assertThat(rec.endpointId()).isEqualTo("fal-ai/flux/dev");
            assertThat(rec.requestId()).isEqualTo(id);
        });
    }

    @Test
    void directRunHonoursValidationAndFailureScripts() {
        emu = FalEmulator.builder().processingTime(Duration.ofMillis(10)).start();
        emu.endpoint("fal-ai/strict").validationError(Http.MAPPER.readTree("\"prompt is required\""));
        Http.Resp v = post(emu.runUrl() + "/fal-ai/strict", "{}");
        assertThat(v.status()).isEqualTo(422);
        assertThat(v.json().path("detail").asString()).isEqualTo("prompt is required");

        emu.endpoint("fal-ai/busy").failWith("No runner", "runner_scheduling_failure", 503);
        Http.Resp f = post(emu.runUrl() + "/fal-ai/busy", "{}");
        assertThat(f.status()).isEqualTo(503);
        assertThat(f.header("x-fal-error-type")).isEqualTo("runner_scheduling_failure");
        assertThat(f.header("x-fal-request-id")).isNotBlank();

        emu.endpoint("fal-ai/echo").output(in -> in);
        assertThat(post(emu.runUrl() + "/fal-ai/echo", "{\"a\":1}").body()).isEqualTo("{\"a\":1}");
    }

    @Test
    void streamingRunSendsPartialEventsThenTheOutputThenCloses() {
        emu = FalEmulator.builder().start();
        emu.endpoint("fal-ai/any-llm").processingTime(Duration.ofMillis(200))
                .logLines(List.of("a", "b", "c"))
                .output(in -> Http.MAPPER.createObjectNode().put("output", "done").put("partial", false));
        List<String> lines = Http.sseLines(Http.request(emu.runUrl() + "/fal-ai/any-llm/stream")
                .header("Accept", "text/event-stream")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"prompt\":\"hi\"}")).build());
        List<JsonNode> events = Http.events(lines);
        assertThat(events).hasSize(4);
        assertThat(events.subList(0, 3)).allSatisfy(e -> assertThat(e.path("partial").asBoolean()).isTrue());
        assertThat(events.get(0).path("progress").asDouble()).isLessThan(events.get(2).path("progress").asDouble());
        assertThat(events.get(3).path("output").asString()).isEqualTo("done");
        assertThat(emu.requests(CallKind.STREAM)).singleElement()
                .satisfies(r -> assertThat(r.endpointId()).isEqualTo("fal-ai/any-llm"));

        // sub-path ids keep the sub-path in the endpoint id
        Http.sseLines(Http.request(emu.runUrl() + "/fal-ai/flux/dev/stream")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(emu.requests(CallKind.STREAM).get(1).endpointId()).isEqualTo("fal-ai/flux/dev");
    }

    @Test
    void streamingRunSendsTheScriptedPartialsThenTheOutput() {
        emu = FalEmulator.start();
        emu.endpoint("fal-ai/any-llm").partialInterval(Duration.ofMillis(5))
                .partials(3, (i, in) -> Http.MAPPER.createObjectNode().put("text", in.path("prompt").asString() + i))
                .output(in -> Http.MAPPER.createObjectNode().put("text", "final").put("partial", false));
        List<JsonNode> events = Http.events(streamLines("{\"prompt\":\"t\"}"));
        assertThat(events).extracting(e -> e.path("text").asString()).containsExactly("t0", "t1", "t2", "final");

        emu.endpoint("fal-ai/any-llm").partials(List.of(Http.MAPPER.readTree("{\"step\":1}")));
        assertThat(Http.events(streamLines("{}"))).extracting(JsonNode::toString)
                .containsExactly("{\"step\":1}", "{\"text\":\"final\",\"partial\":false}");
    }

    @Test
    void aMidStreamFailureSendsFalsErrorBodyAsTheLastEvent() {
        emu = FalEmulator.start();
        emu.endpoint("fal-ai/any-llm").partialInterval(Duration.ofMillis(5))
                .partials(5, (i, in) -> Http.MAPPER.createObjectNode().put("i", i))
                .streamFailure(2, "CUDA out of memory", "runner_server_error");
        List<String> lines = streamLines("{}");
        List<JsonNode> events = Http.events(lines);
        assertThat(events).hasSize(3);
        assertThat(events.get(1).path("i").asInt()).isEqualTo(1);
        assertThat(events.get(2).toString())
                .isEqualTo("{\"detail\":\"CUDA out of memory\",\"error_type\":\"runner_server_error\"}");

        // a reset brings back the default stream: one progress event per log line, then the output
        emu.endpoint("fal-ai/any-llm").reset();
        assertThat(Http.events(streamLines("{}")).get(0).path("partial").asBoolean()).isTrue();
    }

    private List<String> streamLines(String body) {
        return Http.sseLines(Http.request(emu.runUrl() + "/fal-ai/any-llm/stream")
                .header("Accept", "text/event-stream")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void streamingRunWithValidationErrorAnswersJson422() {
        emu = FalEmulator.start();
        emu.endpoint("fal-ai/any-llm").validationError(List.of(EndpointScript.FieldError.of("prompt", "required")));
        Http.Resp r = post(emu.runUrl() + "/fal-ai/any-llm/stream", "{}");
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.header("content-type")).startsWith("application/json");
    }
}
