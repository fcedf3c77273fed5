package dev.falclient.spring;

import dev.falclient.emulator.FalEmulator;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** One quick emulator per test class, and the properties that point the starter at it. */
public abstract class EmulatorTestBase {

    protected static FalEmulator emulator;

    @BeforeAll
    static void startEmulator() {
        emulator = FalEmulator.builder().port(0).processingTime(Duration.ofMillis(20)).start();
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    /** {@code fal.key}, the emulator's queue and CDN URLs, and quick polling. */
    protected static String[] emulatorProperties(String key) {
        return new String[] { "fal.key=" + key, "fal.queue-url=" + emulator.queueUrl(),
                "fal.cdn-url=" + emulator.cdnUrl(), "fal.poll-interval=20ms" };
    }
}
