package dev.falclient.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.falclient.FalClient;
import dev.falclient.emulator.CallKind;
import dev.falclient.emulator.FalEmulator;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.TestExecutionListeners;

/** {@code resetAfterEachTest = false} keeps scripts, faults, queues and recordings from one test to the next. */
@SpringBootTest(classes = AutoConfigureFalEmulatorTests.App.class,
        properties = "fal.status-mode=polling")
@AutoConfigureFalEmulator(processingTime = "50ms", logLines = 0, resetAfterEachTest = false)
@TestExecutionListeners(listeners = AfterResetChecks.class,
        mergeMode = TestExecutionListeners.MergeMode.MERGE_WITH_DEFAULTS)
class NoResetAfterEachTests {

    @Autowired
    FalClient fal;

    @Autowired
    FalEmulator emulator;

    /** Nothing resets this class's emulator between tests, so each test starts from a clean one itself. */
    @BeforeEach
    void cleanEmulator() {
        emulator.reset();
    }

    @Test
    void scriptsFaultsQueuesAndRecordingsSurviveTheTest() {
        EmulatorLeftovers leftovers = EmulatorLeftovers.leave(emulator, fal);

        AfterResetChecks.afterReset(leftovers::assertKept);
    }

    @Test
    void theTestsOwnPropertiesApplyNextToTheEmulators() {
        assertThat(fal.subscribe("fal-ai/fast-sdxl", Map.of("prompt", "polled")).has("images")).isTrue();

        assertThat(emulator.requests(CallKind.STATUS)).isNotEmpty();
        assertThat(emulator.requests(CallKind.STATUS_STREAM)).isEmpty();
    }
}
