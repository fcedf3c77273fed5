package dev.falclient.test.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.falclient.FalClient;
import dev.falclient.FalHttpException;
import dev.falclient.FalValidationException;
import dev.falclient.emulator.CallKind;
import dev.falclient.emulator.EndpointScript;
import dev.falclient.emulator.FalEmulator;
import dev.falclient.emulator.RecordedRequest;
import dev.falclient.test.AutoConfigureFalEmulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

@SpringBootTest(properties = {
        "fal.status-mode=polling",        // the STATUS fault below needs polling; the default is STREAMING
        "fal.poll-interval=50ms",
        "fal.retry.initial-backoff=20ms" })
@AutoConfigureFalEmulator(processingTime = "100ms")
class ImageServiceTests {

    @Autowired FalClient fal;             // the starter's client, pointed at the emulator
    @Autowired FalEmulator emulator;      // the emulator itself

    @Test
    void drawsAnImage() {
        JsonNode output = fal.subscribe("fal-ai/fast-sdxl", Map.of("prompt", "a cat"));

        // default output: a real 512x512 PNG served by the emulator
        assertThat(output.at("/images/0/url").asString()).startsWith(emulator.cdnUrl() + "/files/");

        // request assertions
        RecordedRequest submit = emulator.requests(CallKind.SUBMIT).get(0);
        assertThat(submit.endpointId()).isEqualTo("fal-ai/fast-sdxl");
        assertThat(submit.header("Authorization")).isEqualTo("Key emulator-key");
        assertThat(submit.body()).isEqualTo("{\"prompt\":\"a cat\"}");
    }

    @Test
    void scriptedOutput() {
        emulator.endpoint("fal-ai/flux/dev")                  // sub-paths share the script of fal-ai/flux
                .logLines(List.of("loading", "step 1/2", "step 2/2"))
                .output(input -> JsonNodeFactory.instance.objectNode()
                        .put("echo", input.path("prompt").asString()));

        JsonNode output = fal.subscribe("fal-ai/flux/dev", Map.of("prompt", "hello"));
        assertThat(output.path("echo").asString()).isEqualTo("hello");
    }

    @Test
    void scriptedErrors() {
        emulator.endpoint("fal-ai/fast-sdxl")
                .validationError(List.of(EndpointScript.FieldError.of("prompt", "field required")));
        assertThatThrownBy(() -> fal.subscribe("fal-ai/fast-sdxl", Map.of()))
                .isInstanceOfSatisfying(FalValidationException.class,
                        e -> assertThat(e.errorsFor("prompt")).hasSize(1));

        emulator.endpoint("fal-ai/broken").failWith("Runner crashed", "runner_server_error", 500);
        assertThatThrownBy(() -> fal.subscribe("fal-ai/broken", Map.of()))
                .isInstanceOfSatisfying(FalHttpException.class,
                        e -> assertThat(e.errorType()).isEqualTo("runner_server_error"));
    }

    @Test
    void survivesARateLimitedStatusCall() {
        emulator.fault(CallKind.STATUS).times(1).httpStatus(429).retryAfter(Duration.ofSeconds(1));

        assertThat(fal.subscribe("fal-ai/fast-sdxl", Map.of("prompt", "x")).has("images")).isTrue();
        assertThat(emulator.requests(CallKind.STATUS)).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void gatewayErrorOnSubmitIsNotRetried() {
        emulator.fault(CallKind.SUBMIT).httpStatus(502).ingressStyle();   // nginx HTML page, no fal request id

        assertThatThrownBy(() -> fal.subscribe("fal-ai/fast-sdxl", Map.of("prompt", "x")))
                .isInstanceOfSatisfying(FalHttpException.class, e -> assertThat(e.possiblySubmitted()).isTrue());
        assertThat(emulator.requests(CallKind.SUBMIT)).hasSize(1);
    }
}
