package dev.falclient.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.falclient.emulator.CallKind;
import dev.falclient.emulator.RecordedRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;

/**
 * {@code /fal-js.html} in a real browser (see {@link HeadlessChromium}): fal's own JS client, bundled by the build
 * from npm and served by the app, submits a prompt through the app's fal proxy, shows the queue position and the log
 * lines from the status stream, then the result's image. The emulator sees every call arrive through the proxy with
 * the app's key; the browser talks only to the app and never sees the key.
 */
class FalJsPageInBrowserTests extends BrowserTestBase {

    @BeforeEach
    void openBrowser() {
        browser = HeadlessChromium.open(true);
        emulator.clearRequests();
        // a request stays in the queue a moment even with the worker free, so the page shows its position
        emulator.endpoint(properties.endpointId()).queueTime(Duration.ofMillis(1500));
    }

    @AfterEach
    void closeBrowser() {
        emulator.endpoint(properties.endpointId()).queueTime(Duration.ZERO); // the context is shared
    }

    @Test
    void falJsSubmitsThroughTheProxyAndShowsQueuePositionLogsAndTheImage() {
        browser.get(page("/"));
        browser.findElement(By.id("fal-js-link")).click();
        waitFor(() -> browser.findElement(By.id("submit")).isEnabled());
        assertThat(browser.findElement(By.id("summary")).getText()).contains("/api/fal/proxy");

        String prompt = "a heron by a misty lake";
        browser.findElement(By.id("prompt")).sendKeys(prompt);
        browser.findElement(By.id("submit")).click();
        waitFor(() -> !browser.findElements(cardOf(prompt)).isEmpty());
        WebElement card = browser.findElement(cardOf(prompt));
        waitFor(() -> card.findElement(By.cssSelector(".position")).getText().equals("queue position 0"));
        waitFor(() -> card.findElements(By.cssSelector("ol.events li")).stream()
                .anyMatch(li -> li.getText().contains("Denoising step 20/30")));
        WebElement state = card.findElement(By.cssSelector(".state"));
        waitFor(() -> List.of("done", "failed").contains(state.getText()));
        assertThat(state.getText()).as(card.getText()).isEqualTo("done");
        WebElement image = card.findElement(By.cssSelector(".image img"));
        assertThat(image.getDomProperty("src")).startsWith("blob:" + page("/"));
        waitFor(() -> ((Number) ((JavascriptExecutor) browser)
                .executeScript("return arguments[0].naturalWidth", image)).intValue() > 0);

        // fal (the emulator) got submit, status stream, result and the image from the proxy, with the app's key
        String requestId = card.getDomAttribute("data-request-id");
        assertThat(emulator.requests(CallKind.SUBMIT)).singleElement()
                .satisfies(submit -> assertThat(submit.body()).contains(prompt))
                .satisfies(submit -> assertThat(submit.requestId()).isEqualTo(requestId));
        List<RecordedRequest> calls = emulator.requests().stream()
                .filter(call -> requestId.equals(call.requestId()) || call.path().contains(requestId)).toList();
        assertThat(calls).extracting(RecordedRequest::kind)
                .contains(CallKind.SUBMIT, CallKind.STATUS_STREAM, CallKind.RESULT, CallKind.FILE);
        assertThat(calls).allSatisfy(call -> {
            assertThat(call.header("X-Fal-Client-Proxy")).isEqualTo("fal-spring-boot-starter");
            assertThat(call.header("Authorization")).isEqualTo("Key " + EmulatorConfiguration.EMULATOR_KEY);
            assertThat(call.header("Cookie")).isNull();
        });

        // the browser sent every request to the app itself, and no header or page it saw holds the key
        List<String> network = HeadlessChromium.networkLog(browser);
        assertThat(network).isNotEmpty().noneMatch(message -> message.contains(EmulatorConfiguration.EMULATOR_KEY));
        assertThat(HeadlessChromium.urls(network))
                .isNotEmpty()
                .allSatisfy(url -> assertThat(url).matches("(http://127\\.0\\.0\\.1:" + port + "/|blob:|data:).*"))
                .anySatisfy(url -> assertThat(url).isEqualTo(page("/vendor/fal-client.js")))
                .anySatisfy(url -> assertThat(url).isEqualTo(page("/api/fal/proxy")));
        assertThat(browser.getPageSource()).doesNotContain(EmulatorConfiguration.EMULATOR_KEY);
    }

    private static By cardOf(String prompt) {
        return By.xpath("//article[@class='card'][.//h2[text()='" + prompt + "']]");
    }
}
