package dev.falclient.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.falclient.FalClient;
import dev.falclient.FalValidationException;
import dev.falclient.emulator.CallKind;
import dev.falclient.emulator.EndpointScript;
import dev.falclient.emulator.FalEmulator;
import dev.falclient.emulator.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

class FalEmulatorExtensionTests {

    /** Outside {@code fal}: its checks run after the extension's reset. */
    @RegisterExtension
    @Order(1)
    static final AfterResetChecks afterReset = new AfterResetChecks();

    @RegisterExtension
    @Order(2)
    static FalEmulatorExtension fal = FalEmulatorExtension.newInstance(
            builder -> builder.workers(2).processingTime(Duration.ofMillis(100)).logLines(1));

    static FalClient client;

    @BeforeAll
    static void client(FalEmulator emulator) {
        assertThat(emulator).isSameAs(fal.emulator());
        client = fal.clientBuilder().pollInterval(Duration.ofMillis(30)).build();
    }

    @AfterAll
    static void closeClient() {
        client.close();
    }

    @Test
    void exposesTheEmulatorsUrls() {
        String base = "http://127.0.0.1:" + fal.emulator().port();
        assertThat(fal.queueUrl()).isEqualTo(base + "/queue");
        assertThat(fal.runUrl()).isEqualTo(base + "/run");
        assertThat(fal.restUrl()).isEqualTo(base + "/rest");
        assertThat(fal.cdnUrl()).isEqualTo(base + "/cdn");
        assertThat(fal.key()).isEqualTo("emulator-key");
        assertThat(client.stats().queueUrl()).isEqualTo(base + "/queue");
    }

    @Test
    void subscribeRunsAgainstTheEmulatorAndIsRecorded(FalEmulator emulator) {
        JsonNode output = client.subscribe("fal-ai/fast-sdxl", Map.of("prompt", "x"));

        assertThat(output.path("images").get(0).path("url").asString()).startsWith(emulator.cdnUrl() + "/files/");
        RecordedRequest submit = emulator.requests(CallKind.SUBMIT).get(0);
        assertThat(submit.header("Authorization")).isEqualTo("Key emulator-key");
        assertThat(submit.body()).isEqualTo("{\"prompt\":\"x\"}");
        assertThat(emulator.requests(CallKind.SUBMIT)).hasSize(1);
    }

    @Test
    void scriptedOutput(FalEmulator emulator) {
        emulator.endpoint("fal-ai/fast-sdxl").output(JsonNodeFactory.instance.objectNode().put("fixed", true));

        assertThat(client.subscribe("fal-ai/fast-sdxl", Map.of("prompt", "y")).path("fixed").asBoolean()).isTrue();
    }

    @Test
    void scriptedValidationError() {
        fal.emulator().endpoint("fal-ai/fast-sdxl")
                .validationError(List.of(EndpointScript.FieldError.of("prompt", "field required")));

        assertThatThrownBy(() -> client.subscribe("fal-ai/fast-sdxl", Map.of()))
                .isInstanceOfSatisfying(FalValidationException.class,
                        e -> assertThat(e.errorsFor("prompt")).hasSize(1));
    }

    @Test
    void resetAfterEachTestClearsScriptsFaultsQueuesAndRecordings(FalEmulator emulator) {
        EmulatorLeftovers leftovers = EmulatorLeftovers.leave(emulator, client);

        AfterResetChecks.afterReset(leftovers::assertCleared);
    }

    @Test
    void asyncClientBuilderIsPreconfiguredToo() {
        try (var async = fal.asyncClientBuilder().build()) {
            JsonNode output = async.run("fal-ai/fast-sdxl", Map.of("prompt", "run")).block(Duration.ofSeconds(10));
            assertThat(output.path("prompt").asString()).isEqualTo("run");
        }
        assertThat(fal.emulator().requests(CallKind.RUN)).hasSize(1);
    }
}
