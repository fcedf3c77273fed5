package dev.falclient.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.falclient.AsyncFalClient;
import dev.falclient.emulator.FalEmulator;
import dev.falclient.spring.autoconfigure.FalConnectionDetails;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.mock.env.MockEnvironment;

/**
 * {@code sample.fal.mode}: {@code auto} picks the emulator unless a key is configured, the explicit modes win, and
 * the log names the mode. Keys from the machine's environment are blanked by command-line arguments (which take
 * precedence over environment variables), so the outcome does not depend on whether FAL_KEY is set here.
 */
@ExtendWith(OutputCaptureExtension.class)
class FalModeSelectionTests {

    /**
     * These contexts are closed mid-run. With Boot's default Reactor resources, closing one disposes Reactor Netty's
     * global event loops, which every cached {@code @SpringBootTest} context of this JVM still uses: a context shared
     * by two test classes that run before and after this one would then fail every call.
     */
    private static final ApplicationContextInitializer<ConfigurableApplicationContext> OWN_REACTOR_RESOURCES =
            context -> ((GenericApplicationContext) context).registerBean(ReactorResourceFactory.class, () -> {
                ReactorResourceFactory own = new ReactorResourceFactory();
                own.setUseGlobalResources(false);
                return own;
            });

    private static final String[] NO_KEY = {"--fal.key=", "--FAL_KEY=", "--FAL_KEY_ID=", "--FAL_KEY_SECRET=",
            "--fal.key-id=", "--fal.key-secret="};

    @Test
    void autoWithoutKeyRunsTheEmulator(CapturedOutput output) {
        try (ConfigurableApplicationContext context = run()) {
            FalEmulator emulator = context.getBean(FalEmulator.class);
            assertThat(context.getBean(FalConnectionDetails.class).getQueueUrl()).isEqualTo(emulator.queueUrl());
            assertThat(context.getBean(AsyncFalClient.class)).isNotNull();
            assertThat(output).contains("fal mode: EMULATOR (offline, in-process fal emulator at "
                    + emulator.baseUrl() + "; set FAL_KEY to use real fal)");
            assertThat(context.getBean(FalModeReport.class).resolution())
                    .isEqualTo(new FalModeResolution(FalMode.AUTO, FalMode.EMULATOR, null));
        }
    }

    @Test
    void autoWithKeyTalksToRealFal(CapturedOutput output) {
        try (ConfigurableApplicationContext context = run("--fal.key=abc123:secret")) {
            assertThat(context.getBeansOfType(FalEmulator.class)).isEmpty();
            assertThat(output).contains("fal mode: LIVE (https://queue.fal.run, key from fal.key)");
            assertThat(output).doesNotContain("abc123");
        }
    }

    @Test
    void explicitEmulatorWinsOverAKey(CapturedOutput output) {
        try (ConfigurableApplicationContext context = run("--sample.fal.mode=emulator", "--fal.key=abc123")) {
            assertThat(context.getBeansOfType(FalEmulator.class)).hasSize(1);
            assertThat(output).contains("fal mode: EMULATOR (offline").contains("the configured key is not used");
        }
    }

    @Test
    void explicitLiveWithoutKeyWarns(CapturedOutput output) {
        try (ConfigurableApplicationContext context = run("--sample.fal.mode=live")) {
            assertThat(context.getBeansOfType(FalEmulator.class)).isEmpty();
            assertThat(output).contains("WARN").contains("fal mode: LIVE (https://queue.fal.run, NO KEY configured");
        }
    }

    @Test
    void anUnknownModeFailsStartup() {
        assertThatThrownBy(() -> run("--sample.fal.mode=cloud").close())
                .hasStackTraceContaining("sample.fal.mode");
    }

    @Test
    void resolutionReadsEveryKeySource() {
        assertThat(resolve()).isEqualTo(new FalModeResolution(FalMode.AUTO, FalMode.EMULATOR, null));
        assertThat(resolve("FAL_KEY", "k").keySource()).isEqualTo("FAL_KEY");
        assertThat(resolve("fal.key", "k").keySource()).isEqualTo("fal.key");
        assertThat(resolve("FAL_KEY_ID", "id", "FAL_KEY_SECRET", "s").keySource())
                .isEqualTo("FAL_KEY_ID/FAL_KEY_SECRET");
        assertThat(resolve("fal.key-id", "id", "fal.key-secret", "s").effective()).isEqualTo(FalMode.LIVE);
        assertThat(resolve("FAL_KEY_ID", "id").effective()).as("an id without a secret is no key")
                .isEqualTo(FalMode.EMULATOR);
        assertThat(resolve("FAL_KEY", "  ").effective()).isEqualTo(FalMode.EMULATOR);
        assertThat(resolve("sample.fal.mode", "LIVE").effective()).isEqualTo(FalMode.LIVE);
        assertThat(resolve("sample.fal.mode", "emulator", "FAL_KEY", "k").effective()).isEqualTo(FalMode.EMULATOR);
    }

    private static FalModeResolution resolve(String... keyValues) {
        MockEnvironment env = new MockEnvironment();
        for (int i = 0; i < keyValues.length; i += 2) {
            env.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return FalModeResolution.resolve(env);
    }

    private static ConfigurableApplicationContext run(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(NO_KEY));
        all.add("--sample.demo.enabled=false");
        all.add("--spring.reactor.netty.shutdown-quiet-period=0s"); // closes in ms instead of 2 s
        all.addAll(Arrays.asList(args)); // later arguments win
        return new SpringApplicationBuilder(SampleApplication.class)
                .web(WebApplicationType.NONE)
                .initializers(OWN_REACTOR_RESOURCES)
                .run(all.toArray(String[]::new));
    }
}
