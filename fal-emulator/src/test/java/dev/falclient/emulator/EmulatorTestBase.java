package dev.falclient.emulator;

import org.junit.jupiter.api.AfterEach;

/** A test that starts one emulator per test method in {@link #emu}; it is closed after the test. */
abstract class EmulatorTestBase {

    FalEmulator emu;

    @AfterEach
    final void closeEmulator() {
        if (emu != null) {
            emu.close();
        }
    }
}
