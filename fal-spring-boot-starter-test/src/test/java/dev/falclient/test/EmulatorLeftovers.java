package dev.falclient.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.falclient.Completed;
import dev.falclient.FalClient;
import dev.falclient.FalHttpException;
import dev.falclient.SyncRequestHandle;
import dev.falclient.emulator.CallKind;
import dev.falclient.emulator.FalEmulator;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * What a test leaves in an emulator: a scripted output, an armed fault, a request still running and recorded calls.
 * Checked after the test (see {@link AfterResetChecks}): all gone after a reset, or all still there without one.
 */
final class EmulatorLeftovers {

    private static final String SCRIPTED = "fal-ai/fast-sdxl";
    private static final String SLOW = "fal-ai/leftover";

    private final FalEmulator emulator;
    private final FalClient client;
    private final SyncRequestHandle running;
    private final int recorded;

    private EmulatorLeftovers(FalEmulator emulator, FalClient client, SyncRequestHandle running) {
        this.emulator = emulator;
        this.client = client;
        this.running = running;
        this.recorded = emulator.requests().size();
    }

    /** Scripts, calls and arms {@code emulator} through {@code client}, and checks that it all took effect. */
    static EmulatorLeftovers leave(FalEmulator emulator, FalClient client) {
        emulator.endpoint(SCRIPTED).output(JsonNodeFactory.instance.objectNode().put("leftover", true));
        assertThat(client.subscribe(SCRIPTED, Map.of("prompt", "scripted")).path("leftover").asBoolean()).isTrue();
        emulator.endpoint(SLOW).processingTime(Duration.ofMinutes(10));
        SyncRequestHandle running = client.submit(SLOW, Map.of("prompt", "still running"));
        assertThat(running.status()).isNotInstanceOf(Completed.class);
        emulator.fault(CallKind.SUBMIT).httpStatus(400);
        return new EmulatorLeftovers(emulator, client, running);
    }

    /** Nothing is left: no recorded call, no running request, no fault, no script. Resets again after checking. */
    void assertCleared() {
        try {
            assertThat(emulator.requests()).as("recorded calls after the reset").isEmpty();
            assertThatThrownBy(running::status).as("status of the request that was running")
                    .isInstanceOfSatisfying(FalHttpException.class, e -> assertThat(e.statusCode()).isEqualTo(404));
            // a submit goes through (no fault) and gets the emulator's default output (no script)
            assertThat(client.subscribe(SCRIPTED, Map.of("prompt", "after reset")).has("images")).isTrue();
            assertThat(emulator.requests(CallKind.SUBMIT)).hasSize(1);
        } finally {
            emulator.reset();
        }
    }

    /** Everything is still there: the recorded calls, the running request, the fault, the script. */
    void assertKept() {
        assertThat(emulator.requests()).as("recorded calls").hasSize(recorded);
        assertThat(running.status()).isNotInstanceOf(Completed.class);
        assertThatThrownBy(() -> client.submit(SCRIPTED, Map.of("prompt", "faulted")))
                .isInstanceOfSatisfying(FalHttpException.class, e -> assertThat(e.statusCode()).isEqualTo(400));
        assertThat(client.subscribe(SCRIPTED, Map.of("prompt", "kept")).path("leftover").asBoolean()).isTrue();
        running.cancel();
    }
}
