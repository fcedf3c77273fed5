package dev.falclient;

import static org.assertj.core.api.Assertions.assertThat;

import dev.falclient.emulator.CallKind;
import dev.falclient.emulator.FalEmulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** fal's keep-alive comments keep a quiet status stream alive: a long job is watched without a single poll. */
class StatusStreamKeepAliveTests {

    private static final String APP = "fal-ai/quiet";

    @Test
    void keepAliveCommentsCountAsActivityOfTheStream() {
        try (FalEmulator emu = FalEmulator.builder().streamKeepAlive(Duration.ofMillis(100)).start();
             FalClient fal = client(emu).streamIdleTimeout(Duration.ofSeconds(1)).build()) {
            // three silent seconds in progress: without the comments the 1 s watchdog would fall back to polling
            emu.endpoint(APP).processingTime(Duration.ofSeconds(3)).logLines(List.of());
            assertThat(fal.subscribe(APP, Map.of("prompt", "x"))).isNotNull();
            assertThat(emu.requests(CallKind.STATUS_STREAM)).hasSize(1);
            assertThat(emu.requests(CallKind.STATUS)).isEmpty();
        }
    }

    @Test
    void aTwentySecondJobWithFalsDefaultKeepAliveStreamsWithoutPolling() {
        try (FalEmulator emu = FalEmulator.builder().start();   // keep-alive every 15 s, as fal
             FalClient fal = client(emu).build()) {
            emu.endpoint(APP).processingTime(Duration.ofSeconds(20)).logLines(List.of());
            assertThat(fal.subscribe(APP, Map.of("prompt", "x"))).isNotNull();
            assertThat(emu.requests(CallKind.STATUS_STREAM)).hasSize(1);
            assertThat(emu.requests(CallKind.STATUS)).isEmpty();
        }
    }

    private static FalClient.Builder client(FalEmulator emu) {
        return FalClient.builder().key("emulator-key").queueUrl(emu.queueUrl()).runUrl(emu.runUrl())
                .statusMode(StatusMode.STREAMING);
    }
}
