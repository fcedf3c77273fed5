package dev.falclient.sample;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real browser of the page tests: Debian's {@code chromium} driven by {@code chromium-driver} (which
 * {@code .ci/run} installs), headless. A test that asks for one is skipped, saying why, where neither is installed.
 */
final class HeadlessChromium {

    private HeadlessChromium() {
    }

    /**
     * A new headless browser; quit it after the test. With {@code networkLog}, Chrome's performance log (every
     * request and response the browser saw, with their headers) can be read with
     * {@code browser.manage().logs().get(LogType.PERFORMANCE)}.
     */
    static WebDriver open(boolean networkLog) {
        Optional<Path> chromium = executable("chromium", "chromium-browser");
        Optional<Path> driver = executable("chromedriver");
        assumeTrue(chromium.isPresent() && driver.isPresent(), "No chromium and chromedriver on this machine: "
                + "install Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver; "
                + ".ci/run does) to run the real-browser tests of the sample's pages");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.get().toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,2000");
        if (networkLog) {
            LoggingPreferences logs = new LoggingPreferences();
            logs.enable(LogType.PERFORMANCE, Level.ALL);
            options.setCapability("goog:loggingPrefs", logs);
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driver.get().toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** The messages of Chrome's performance log since the last call (a browser opened with {@code networkLog}). */
    static List<String> networkLog(WebDriver browser) {
        return browser.manage().logs().get(LogType.PERFORMANCE).getAll().stream().map(LogEntry::getMessage).toList();
    }

    /** The URLs of the requests sent and the WebSockets opened in {@code networkLog} messages. */
    static List<String> urls(List<String> networkLog) {
        return networkLog.stream().map(message -> {
            JsonNode event = JsonMapper.shared().readTree(message).path("message");
            return switch (event.path("method").asString("")) {
                case "Network.requestWillBeSent" -> event.path("params").path("request").path("url").asString("");
                case "Network.webSocketCreated" -> event.path("params").path("url").asString("");
                default -> "";
            };
        }).filter(url -> !url.isEmpty()).toList();
    }

    /** The first of {@code names} found on the {@code PATH}. */
    private static Optional<Path> executable(String... names) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(names)
                .flatMap(name -> Stream.of(path.split(File.pathSeparator)).map(dir -> Path.of(dir, name)))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
