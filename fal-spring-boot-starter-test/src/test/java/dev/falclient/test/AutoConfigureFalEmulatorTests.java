package dev.falclient.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.falclient.AsyncFalClient;
import dev.falclient.FalClient;
import dev.falclient.FalCredentials;
import dev.falclient.settings.UrlSettings;
import dev.falclient.spring.autoconfigure.FalConnectionDetails;
import dev.falclient.FalValidationException;
import dev.falclient.emulator.CallKind;
import dev.falclient.emulator.EndpointScript;
import dev.falclient.emulator.FalEmulator;
import dev.falclient.emulator.RecordedRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.context.TestExecutionListeners;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

@SpringBootTest(classes = AutoConfigureFalEmulatorTests.App.class, properties = "fal.poll-interval=30ms")
@AutoConfigureFalEmulator(processingTime = "100ms")
@TestExecutionListeners(listeners = AfterResetChecks.class,
        mergeMode = TestExecutionListeners.MergeMode.MERGE_WITH_DEFAULTS)
class AutoConfigureFalEmulatorTests {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }

    @Autowired
    FalClient fal;

    @Autowired
    AsyncFalClient asyncFal;

    @Autowired
    FalEmulator emulator;

    @Autowired
    Environment environment;

    @Autowired
    FalConnectionDetails connectionDetails;

    @Test
    void starterIsPointedAtTheEmulator() {
        String base = "http://127.0.0.1:" + emulator.port();
        // connection details, not fal.* properties: only the webhook receiver's JWKS URL is a property
        assertThat(connectionDetails.getUrls()).isEqualTo(new UrlSettings(base + "/queue", base + "/run",
                base + "/rest", base + "/cdn"));
        assertThat(connectionDetails.getCredentials().resolve()).map(FalCredentials.Credential::key)
                .contains("emulator-key");
        assertThat(connectionDetails.toString()).doesNotContain("emulator-key");
        assertThat(environment.getProperty("fal.queue-url")).isNull();
        assertThat(environment.getProperty("fal.key")).isNull();
        assertThat(environment.getProperty("fal.webhook.jwks-url")).isEqualTo(base + "/rest/.well-known/jwks.json");
        assertThat(asyncFal.stats().queueUrl()).isEqualTo(base + "/queue");
        assertThat(fal.async()).isSameAs(asyncFal);
    }

    @Test
    void subscribeRunsAgainstTheEmulatorAndIsRecorded() {
        JsonNode output = fal.subscribe("fal-ai/fast-sdxl", Map.of("prompt", "x"));

        assertThat(output.path("images").get(0).path("url").asString()).startsWith(emulator.cdnUrl() + "/files/");
        assertThat(output.path("prompt").asString()).isEqualTo("x");

        List<RecordedRequest> submits = emulator.requests(CallKind.SUBMIT);
        assertThat(submits).hasSize(1);
        RecordedRequest submit = submits.get(0);
        assertThat(submit.method()).isEqualTo("POST");
        assertThat(submit.endpointId()).isEqualTo("fal-ai/fast-sdxl");
        assertThat(submit.header("Authorization")).isEqualTo("Key emulator-key");
        assertThat(submit.body()).isEqualTo("{\"prompt\":\"x\"}");
        assertThat(emulator.requests(CallKind.RESULT)).hasSize(1);
    }

    @Test
    void scriptedOutput() {
        emulator.endpoint("fal-ai/fast-sdxl")
                .output(input -> JsonNodeFactory.instance.objectNode().put("echo", input.path("prompt").asString()));

        JsonNode output = fal.subscribe("fal-ai/fast-sdxl", Map.of("prompt", "hello"));

        assertThat(output.path("echo").asString()).isEqualTo("hello");
        assertThat(output.has("images")).isFalse();
    }

    @Test
    void scriptedValidationError() {
        emulator.endpoint("fal-ai/fast-sdxl")
                .validationError(List.of(EndpointScript.FieldError.of("prompt", "field required")));

        assertThatThrownBy(() -> fal.subscribe("fal-ai/fast-sdxl", Map.of("seed", 1)))
                .isInstanceOfSatisfying(FalValidationException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(422);
                    assertThat(e.errorsFor("prompt")).singleElement()
                            .satisfies(error -> assertThat(error.msg()).isEqualTo("field required"));
                    assertThat(e.requestId()).isPresent();
                });
    }

    @Test
    void resetListenerClearsScriptsFaultsQueuesAndRecordingsAfterTheTest() {
        EmulatorLeftovers leftovers = EmulatorLeftovers.leave(emulator, fal);

        AfterResetChecks.afterReset(leftovers::assertCleared);
    }

    @Nested
    class NestedTests {

        @Autowired
        FalEmulator nestedEmulator;

        @Test
        void nestedClassesShareTheEnclosingEmulatorAndItsReset() {
            assertThat(nestedEmulator).isSameAs(emulator);
            assertThat(fal.run("fal-ai/fast-sdxl", Map.of("prompt", "nested")).path("prompt").asString())
                    .isEqualTo("nested");
            assertThat(emulator.requests(CallKind.RUN)).hasSize(1);

            // the enclosing class's @AutoConfigureFalEmulator applies: reset after each nested test too
            AfterResetChecks.afterReset(EmulatorLeftovers.leave(emulator, fal)::assertCleared);
        }
    }
}
