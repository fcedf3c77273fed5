package dev.falclient.test.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.falclient.FalClient;
import dev.falclient.emulator.CallKind;
import dev.falclient.emulator.FalEmulator;
import dev.falclient.test.FalEmulatorExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

class ImagesTest {

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

            JsonNode output = client.subscribe("fal-ai/fast-sdxl", Map.of("prompt", "a cat"));

            assertThat(output.at("/images/0/url").asString()).startsWith(fal.cdnUrl());
            assertThat(emulator.requests(CallKind.STATUS)).isNotEmpty();
        }
    }
}
