package dev.falclient.test.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.falclient.FalClient;
import dev.falclient.emulator.CallKind;
import dev.falclient.emulator.FalEmulator;
import dev.falclient.test.FalEmulatorExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

class ImagesTests {

    @RegisterExtension
    static FalEmulatorExtension fal = FalEmulatorExtension.newInstance(
            builder -> builder.workers(2).processingTime(Duration.ofMillis(100)));

    @Test
    void draws(FalEmulator emulator) {                     // parameter resolution, or fal.emulator()
        try (FalClient client = fal.clientBuilder()         // key + queue/run/rest/cdn URLs preset
                .pollInterval(Duration.ofMillis(30))
                .initialBackoff(Duration.ofMillis(10))
                .build()) {
            emulator.fault(CallKind.STATUS_STREAM).closeStreamEarly();   // client falls back to polling
            // the job ends only once the client polls, so the stream's one event is never COMPLETED, however slow
            // the machine: the emulator's script decides, not a race
            emulator.endpoint("fal-ai/fast-sdxl").output(input -> {
                await().atMost(Duration.ofSeconds(10)).until(() -> !emulator.requests(CallKind.STATUS).isEmpty());
                return JsonNodeFactory.instance.objectNode().put("drawn", input.path("prompt").asString());
            });

            JsonNode output = client.subscribe("fal-ai/fast-sdxl", Map.of("prompt", "a cat"));

            assertThat(output.path("drawn").asString()).isEqualTo("a cat");
            assertThat(emulator.requests(CallKind.STATUS)).isNotEmpty();
        }
    }
}
