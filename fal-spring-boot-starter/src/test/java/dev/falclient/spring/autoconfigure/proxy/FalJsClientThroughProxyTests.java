package dev.falclient.spring.autoconfigure.proxy;

import static dev.falclient.spring.autoconfigure.proxy.ProxyFixtures.KEY;
import static dev.falclient.spring.autoconfigure.proxy.ProxyFixtures.PATH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.falclient.emulator.CallKind;
import dev.falclient.emulator.FalEmulator;
import dev.falclient.spring.autoconfigure.FalAutoConfiguration;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.util.FileSystemUtils;
import org.springframework.web.reactive.function.server.RouterFunction;
import reactor.netty.DisposableServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * fal's own JS client ({@code @fal-ai/client}, installed from npm by {@code npm ci} with the locked version), run by
 * Node with {@code proxyUrl} and no key, drives the starter's proxy against the emulator: submit, status, result,
 * and a subscribe over the status stream. Skipped only when {@code node} is not installed.
 */
class FalJsClientThroughProxyTests {

    private static final Path MODULE = Path.of(System.getProperty("basedir", "."));
    private static final Path SOURCES = MODULE.resolve("src/test/node");
    private static final Path WORK = MODULE.resolve("target/fal-js");

    @Test
    void falJsSubmitsPollsAndFetchesTheResultThroughTheProxy() throws Exception {
        assumeTrue(installed("node"), "node is not installed: the fal-js end-to-end test needs Node.js 18+ on PATH");
        prepare();
        try (FalEmulator emu = ProxyFixtures.emulator()) {
            new ReactiveWebApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(FalAutoConfiguration.class,
                            FalProxyAutoConfiguration.class))
                    .withPropertyValues(ProxyFixtures.properties(emu))
                    .run(context -> {
                        DisposableServer server = ProxyFixtures.serve(context.getBean("falProxyRoute",
                                RouterFunction.class));
                        try {
                            String output = run(List.of("node", WORK.resolve("fal-js-through-proxy.mjs").toString(),
                                    "http://127.0.0.1:" + server.port() + PATH), 120);
                            JsonNode seen = JsonMapper.shared().readTree(output.lines()
                                    .filter(line -> line.startsWith("{")).reduce((a, b) -> b).orElseThrow(
                                            () -> new AssertionError("no JSON line from node: " + output)));
                            assertThat(seen.path("requestId").asString()).isNotBlank();
                            assertThat(seen.path("status").asString()).isEqualTo("COMPLETED");
                            assertThat(seen.path("resultRequestId").asString())
                                    .isEqualTo(seen.path("requestId").asString());
                            assertThat(seen.path("images").asInt()).isPositive();
                            assertThat(seen.path("subscribedImages").asInt()).isPositive();
                            assertThat(seen.path("streamedStatuses").toString()).contains("COMPLETED");
                            assertThat(seen.path("denied").asInt()).isEqualTo(403);
                        } finally {
                            server.disposeNow();
                        }
                    });
            assertThat(emu.requests(CallKind.SUBMIT)).hasSize(2);
            assertThat(emu.requests(CallKind.STATUS)).isNotEmpty();
            assertThat(emu.requests(CallKind.STATUS_STREAM)).isNotEmpty();
            assertThat(emu.requests(CallKind.RESULT)).hasSize(2);
            assertThat(emu.requests()).allSatisfy(r -> {
                assertThat(r.header("Authorization")).isEqualTo("Key " + KEY);
                assertThat(r.endpointId()).startsWith("fal-ai/flux");
            });
        }
    }

    /** Copies the sources next to the build output and installs the locked packages there. */
    private static void prepare() throws IOException, InterruptedException {
        FileSystemUtils.deleteRecursively(WORK);
        Files.createDirectories(WORK);
        for (String file : List.of("package.json", "package-lock.json", "fal-js-through-proxy.mjs")) {
            Files.copy(SOURCES.resolve(file), WORK.resolve(file));
        }
        run(List.of("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--prefix", WORK.toString()), 300);
    }

    private static boolean installed(String command) {
        try {
            Process process = new ProcessBuilder(command, "--version").redirectErrorStream(true).start();
            boolean done = process.waitFor(30, TimeUnit.SECONDS);
            if (!done) {
                process.destroyForcibly();
            }
            return done && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs a command without any fal key in its environment; its output, or an assertion error with it. */
    private static String run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        File log = Files.createTempFile(WORK, "process", ".log").toFile();
        ProcessBuilder builder = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true)
                .redirectOutput(log);
        builder.environment().keySet().removeIf(name -> name.startsWith("FAL_"));
        Process process = builder.start();
        boolean done = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!done) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String output = Files.readString(log.toPath(), StandardCharsets.UTF_8);
        if (!done || process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + (done ? " failed with exit code "
                    + process.exitValue() : " did not finish in " + timeoutSeconds + " s") + ":\n" + output);
        }
        return output;
    }
}
