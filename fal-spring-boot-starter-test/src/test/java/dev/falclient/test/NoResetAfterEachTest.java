package dev.falclient.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.falclient.FalClient;
import dev.falclient.emulator.CallKind;
import dev.falclient.emulator.FalEmulator;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.node.JsonNodeFactory;

/** {@code resetAfterEachTest = false} keeps scripts and recordings from one test to the next. */
@SpringBootTest(classes = AutoConfigureFalEmulatorTest.App.class,
        properties = "fal.status-mode=polling")
@AutoConfigureFalEmulator(processingTime = "50ms", logLines = 0, resetAfterEachTest = false)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NoResetAfterEachTest {

    @Autowired
    FalClient fal;

    @Autowired
    FalEmulator emulator;

    @Test
    @Order(1)
    void script() {
        emulator.endpoint("fal-ai/kept").output(JsonNodeFactory.instance.objectNode().put("kept", true));
        assertThat(fal.subscribe("fal-ai/kept", Map.of()).path("kept").asBoolean()).isTrue();
    }

    @Test
    @Order(2)
    void scriptAndRecordingsSurvive() {
        assertThat(emulator.requests(CallKind.SUBMIT)).hasSize(1);
        assertThat(fal.subscribe("fal-ai/kept", Map.of()).path("kept").asBoolean()).isTrue();
        assertThat(emulator.requests(CallKind.SUBMIT)).hasSize(2);
        assertThat(emulator.requests(CallKind.STATUS_STREAM)).isEmpty();
    }
}
