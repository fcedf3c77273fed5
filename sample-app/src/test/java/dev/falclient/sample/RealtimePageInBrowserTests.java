package dev.falclient.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.falclient.emulator.RealtimeSession;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * {@code /realtime.html} in a real browser (see {@link HeadlessChromium}): typing sends the text over the app's
 * WebSocket, and the image and the prompt it answers follow; the emulator's realtime session got the prompts with a
 * token, the browser talked only to the app (no key, no token in any frame), leaving the page closes the fal
 * connection, and a failure shows an error until the next keystroke connects again.
 */
class RealtimePageInBrowserTests extends BrowserTestBase {

    Instant started;

    @BeforeEach
    void openBrowser() {
        browser = HeadlessChromium.open(true);
        started = Instant.now();
    }

    @AfterEach
    void closeBrowser() {
        emulator.endpoint(properties.realtime().endpointId()).reset(); // the context is shared
    }

    @Test
    void typingUpdatesTheImageAndPromptLiveThroughTheAppsSocket() {
        browser.get(page("/"));
        browser.findElement(By.id("realtime-link")).click();
        WebElement state = browser.findElement(By.id("state"));
        assertThat(state.getDomAttribute("data-state")).isEqualTo("idle");

        browser.findElement(By.id("prompt")).sendKeys("a red fox");
        waitFor(() -> answered().equals("a red fox") && imageLoaded());
        assertThat(state.getDomAttribute("data-state")).isEqualTo("live");
        assertThat(browser.findElement(By.id("seed")).getText()).matches("seed \\d+");
        assertThat(browser.findElement(By.id("latency")).getText()).matches("\\d+ ms");
        assertThat(browser.findElement(By.cssSelector("#image img")).getDomProperty("src"))
                .startsWith(page("/images/"));

        browser.findElement(By.id("prompt")).sendKeys(" in the snow");
        waitFor(() -> answered().equals("a red fox in the snow") && imageLoaded());

        // one fal session, opened with a token; the throttle and latest-wins spared fal most keystrokes
        RealtimeSession session = session();
        assertThat(session.auth()).isEqualTo(RealtimeSession.Auth.TOKEN);
        assertThat(session.inputs()).last().satisfies(input ->
                assertThat(input.path("prompt").asString()).isEqualTo("a red fox in the snow"));
        assertThat(session.inputsReceived()).isLessThan("a red fox in the snow".length());

        // the browser talked only to the app, and no request, header or socket frame held the key or the token
        List<String> network = HeadlessChromium.networkLog(browser);
        assertThat(network).isNotEmpty().noneMatch(message -> message.contains(EmulatorConfiguration.EMULATOR_KEY)
                || message.contains(session.token()));
        assertThat(HeadlessChromium.urls(network))
                .allSatisfy(url -> assertThat(url).matches("(http|ws)://127\\.0\\.0\\.1:" + port + "/.*"))
                .contains("ws://127.0.0.1:" + port + RealtimeSocketHandler.PATH);

        // leaving the page closes the socket, and the app closes the fal connection (within seconds: Chrome on
        // its own may keep the socket of a page it left for half a minute)
        browser.get(page("/"));
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> !session().open());
        assertThat(session().closeStatus()).isEqualTo(1000);
    }

    @Test
    void aFailureShowsAnErrorAndTheNextKeystrokeConnectsAgain() {
        emulator.endpoint(properties.realtime().endpointId()).realtimeFailure(0, "the GPU caught fire");
        browser.get(page("/realtime.html"));
        WebElement state = browser.findElement(By.id("state"));
        browser.findElement(By.id("prompt")).sendKeys("a lighthouse");
        waitFor(() -> "error".equals(state.getDomAttribute("data-state")));
        assertThat(browser.findElement(By.id("error")).getText()).contains("INTERNAL_ERROR").contains("reference")
                .doesNotContain("GPU");

        browser.findElement(By.id("prompt")).sendKeys(" at dusk");
        waitFor(() -> answered().equals("a lighthouse at dusk") && imageLoaded());
        assertThat(state.getDomAttribute("data-state")).isEqualTo("live");
        assertThat(browser.findElement(By.id("error")).getText()).isEmpty();
    }

    private String answered() {
        return browser.findElement(By.id("answered")).getText();
    }

    private boolean imageLoaded() {
        List<WebElement> images = browser.findElements(By.cssSelector("#image img"));
        return !images.isEmpty() && ((Number) ((JavascriptExecutor) browser)
                .executeScript("return arguments[0].naturalWidth", images.get(0))).intValue() > 0;
    }

    /** The one realtime session this test opened. */
    private RealtimeSession session() {
        List<RealtimeSession> sessions = emulator.realtimeSessions().stream()
                .filter(s -> s.endpointId().equals(properties.realtime().endpointId()))
                .filter(s -> !s.openedAt().isBefore(started))
                .toList();
        assertThat(sessions).hasSize(1);
        return sessions.get(0);
    }
}
