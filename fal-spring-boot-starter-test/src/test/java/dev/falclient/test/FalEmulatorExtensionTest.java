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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FalEmulatorExtensionTest {

    @RegisterExtension
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
    @Order(1)
    void exposesTheEmulatorsUrls() {
        assertThat(fal.queueUrl()).isEqualTo(fal.emulator().queueUrl()).endsWith("/queue");
        assertThat(fal.runUrl()).isEqualTo(fal.emulator().runUrl()).endsWith("/run");
        assertThat(fal.restUrl()).isEqualTo(fal.emulator().restUrl());
        assertThat(fal.cdnUrl()).isEqualTo(fal.emulator().cdnUrl());
        assertThat(fal.key()).isEqualTo(FalEmulatorExtension.DEFAULT_KEY);
        assertThat(client.stats().queueUrl()).isEqualTo(fal.queueUrl());
    }

    @Test
    @Order(2)
    void subscribeRunsAgainstTheEmulatorAndIsRecorded(FalEmulator emulator) {
        JsonNode output = client.subscribe("fal-ai/fast-sdxl", Map.of("prompt", "x"));

        assertThat(output.path("images").get(0).path("url").asString()).startsWith(emulator.cdnUrl() + "/files/");
        RecordedRequest submit = emulator.requests(CallKind.SUBMIT).get(0);
        assertThat(submit.header("Authorization")).isEqualTo("Key emulator-key");
        assertThat(submit.body()).isEqualTo("{\"prompt\":\"x\"}");
        assertThat(emulator.requests(CallKind.SUBMIT)).hasSize(1);
    }

    @Test
    @Order(3)
    void scriptedOutput(FalEmulator emulator) {
        emulator.endpoint("fal-ai/fast-sdxl").output(JsonNodeFactory.instance.objectNode().put("fixed", true));

        assertThat(client.subscribe("fal-ai/fast-sdxl", Map.of("prompt", "y")).path("fixed").asBoolean()).isTrue();
    }

    @Test
    @Order(4)
    void scriptedValidationError() {
        fal.emulator().endpoint("fal-ai/fast-sdxl")
                .validationError(List.of(EndpointScript.FieldError.of("prompt", "field required")));

        assertThatThrownBy(() -> client.subscribe("fal-ai/fast-sdxl", Map.of()))
                .isInstanceOfSatisfying(FalValidationException.class,
                        e -> assertThat(e.errorsFor("prompt")).hasSize(1));
    }

    @Test
    @Order(5)
    void resetAfterEachTestClearedScriptsAndRecordings() {
        assertThat(fal.emulator().requests()).isEmpty();

        JsonNode output = client.subscribe("fal-ai/fast-sdxl", Map.of("prompt", "z"));

        assertThat(output.has("images")).isTrue();
    }

    @Test
    @Order(6)
    void asyncClientBuilderIsPreconfiguredToo() {
        try (var async = fal.asyncClientBuilder().build()) {
            JsonNode output = async.run("fal-ai/fast-sdxl", Map.of("prompt", "run")).block(Duration.ofSeconds(10));
            assertThat(output.path("prompt").asString()).isEqualTo("run");
        }
        assertThat(fal.emulator().requests(CallKind.RUN)).hasSize(1);
    }
}
