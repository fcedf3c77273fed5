package dev.falclient.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.falclient.emulator.CallKind;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;

/**
 * The page in a real browser (headless Debian {@code chromium} through {@code chromium-driver}, which
 * {@code .ci/run} installs): a prompt submitted from the page shows its queue position, its log lines and progress,
 * and its image (served through the app, under the page's Content-Security-Policy); another generation is cancelled
 * with its button; the history lists both; a {@code ?prompt=} link only fills the prompt in. Skipped, saying why,
 * only where no chromium is installed.
 */
class PageInBrowserTests extends BrowserTestBase {

    @BeforeEach
    void openBrowser() {
        browser = HeadlessChromium.open(false);
    }

    @Test
    void generatesWithQueuePositionLogsAndImageAndCancelsAnotherGeneration() {
        browser.get(page("/"));
        String slow = "a very slow blocker";
        String fox = "a red fox in the snow";

        // the first generation holds the only worker until it is cancelled, so the second one waits in the queue
        emulator.endpoint(properties.endpointId()).processingTime(Duration.ofHours(1));
        generate(slow);
        WebElement blocker = card(slow);
        waitFor(() -> blocker.findElement(By.cssSelector(".state")).getText().contains("generating"));
        emulator.endpoint(properties.endpointId()).processingTime(properties.emulator().processingTime());
        generate(fox);
        WebElement foxCard = card(fox);
        waitFor(() -> foxCard.findElement(By.cssSelector(".position")).getText().equals("queue position 0"));
        assertThat(foxCard.findElement(By.cssSelector(".state")).getText()).isEqualTo("in queue");

        blocker.findElement(By.cssSelector("button.cancel")).click();
        waitFor(() -> blocker.findElement(By.cssSelector(".state")).getText().equals("cancelled"));
        assertThat(emulator.requests(CallKind.CANCEL)).hasSize(1);

        // the log lines arrive and drive the progress bar, then the image shows, loaded through the app itself
        waitFor(() -> foxCard.findElements(By.cssSelector("ol.events li")).stream()
                .anyMatch(li -> li.getText().contains("Denoising step 20/30")));
        waitFor(() -> foxCard.findElement(By.cssSelector(".state")).getText().equals("done"));
        assertThat(foxCard.findElement(By.cssSelector("progress")).getDomProperty("value")).isEqualTo("100");
        WebElement image = foxCard.findElement(By.cssSelector(".image img"));
        assertThat(image.getDomProperty("src")).startsWith(page("/images/"));
        waitFor(() -> ((Number) ((JavascriptExecutor) browser)
                .executeScript("return arguments[0].naturalWidth", image)).intValue() > 0);
        assertThat(foxCard.findElement(By.cssSelector(".elapsed")).getText()).matches("\\d+\\.\\d s")
                .isNotEqualTo("0.0 s");

        assertThat(browser.findElements(By.cssSelector("#history li")))
                .extracting(WebElement::getText)
                .satisfiesExactly(
                        newest -> assertThat(newest).startsWith(fox).contains("done after"),
                        oldest -> assertThat(oldest).startsWith(slow).contains("cancelled after"));
    }

    @Test
    void aLinkWithAPromptOnlyFillsItIn() {
        int submits = emulator.requests(CallKind.SUBMIT).size();
        browser.get(page("/?prompt=a+free+lunch"));
        waitFor(() -> !browser.findElement(By.id("summary")).getText().startsWith("Asking"));
        assertThat(browser.findElement(By.id("prompt")).getDomProperty("value")).isEqualTo("a free lunch");
        assertThat(browser.findElements(By.cssSelector("#cards article"))).isEmpty();
        assertThat(emulator.requests(CallKind.SUBMIT)).hasSize(submits);
    }

    private void generate(String prompt) {
        WebElement input = browser.findElement(By.id("prompt"));
        input.clear();
        input.sendKeys(prompt);
        browser.findElement(By.id("submit")).click();
        waitFor(() -> !browser.findElements(cardOf(prompt)).isEmpty());
    }

    private WebElement card(String prompt) {
        return browser.findElement(cardOf(prompt));
    }

    private static By cardOf(String prompt) {
        return By.xpath("//article[@class='card'][.//h2[text()='" + prompt + "']]");
    }
}
