package dev.falclient.spring.webhook;

import dev.falclient.emulator.FalEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** One emulator per test class: its JWKS is the receiver's key source, its key signs the deliveries. */
abstract class EmulatorKeyTestBase {

    static FalEmulator emu;

    @BeforeAll
    static void startEmulator() {
        emu = FalEmulator.start();
    }

    @AfterAll
    static void stopEmulator() {
        emu.close();
    }
}
