package dev.falclient.spring.autoconfigure.proxy;

import dev.falclient.emulator.FalEmulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** One emulator (requiring {@link ProxyFixtures#KEY}) per test class, reset before each test. */
abstract class ProxyEmulatorTestBase {

    static FalEmulator emu;

    @BeforeAll
    static void startEmulator() {
        emu = ProxyFixtures.emulator();
    }

    @AfterAll
    static void stopEmulator() {
        emu.close();
    }

    @BeforeEach
    void resetEmulator() {
        emu.reset();
    }
}
