package dev.falclient.sample;

import dev.falclient.emulator.FalEmulator;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * One sample app in emulator mode for the real-browser tests (they share its context), a headless chromium per test
 * that each test opens as it needs it, and the waits they use.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sample.fal.mode=emulator",
        "sample.demo.enabled=false",
        "sample.emulator.processing-time=2s",
        "sample.emulator.workers=1"})
abstract class BrowserTestBase {

    static final Duration BOUND = Duration.ofSeconds(30);

    @LocalServerPort
    int port;

    @Autowired
    FalEmulator emulator;

    @Autowired
    SampleProperties properties;

    @Nullable WebDriver browser;

    @AfterEach
    void quitBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    void waitFor(BooleanSupplier condition) {
        new WebDriverWait(browser, BOUND).until(d -> condition.getAsBoolean());
    }

    String page(String path) {
        return "http://127.0.0.1:" + port + path;
    }
}
