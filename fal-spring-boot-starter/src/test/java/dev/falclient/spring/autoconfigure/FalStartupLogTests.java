package dev.falclient.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.falclient.AsyncFalClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * At startup the starter logs one INFO line naming where the key comes from (masked) and the fal URLs in use; the
 * key and the secret never appear in the output.
 */
@ExtendWith(OutputCaptureExtension.class)
class FalStartupLogTests {

    private static final String KEY = "prop-key-0123456789abcdef";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(FalAutoConfigurationTests.UPSTREAM)
            .withConfiguration(AutoConfigurations.of(FalAutoConfiguration.class));

    @Test
    void propertyKeyAndConfiguredUrlsAreNamedInOneLine(CapturedOutput output) {
        runner.withPropertyValues("fal.key=" + KEY, "fal.queue-url=http://127.0.0.1:9/queue",
                        "fal.run-url=http://127.0.0.1:9/run")
                .run(context -> assertThat(context).hasSingleBean(AsyncFalClient.class));
        assertThat(startupLines(output)).singleElement().satisfies(line -> assertThat(line)
                .contains("INFO")
                .contains("key from property fal.key (prop…)")
                .contains("queue http://127.0.0.1:9/queue, run http://127.0.0.1:9/run, rest https://rest.fal.ai, "
                        + "cdn https://v3.fal.media"));
        assertThat(output.getAll()).doesNotContain(KEY).doesNotContain("0123456789");
    }

    @Test
    void keyFromTheEnvironmentVariableNamesTheVariable(CapturedOutput output) {
        Map<String, Object> env = Map.of("FAL_KEY", "env-key-0123456789abcdef");
        runner.withInitializer(context -> context.getEnvironment().getPropertySources()
                        .addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment", env)))
                .run(context -> assertThat(context).hasSingleBean(AsyncFalClient.class));
        assertThat(startupLines(output)).singleElement().satisfies(line -> assertThat(line)
                .contains("key from environment variable FAL_KEY (env-…)")
                .contains("queue https://queue.fal.run, run https://fal.run"));
        assertThat(output.getAll()).doesNotContain("env-key-0123456789abcdef");
    }

    @Test
    void keyIdAndSecretNameBothPropertiesAndShowNoSecret(CapturedOutput output) {
        runner.withPropertyValues("fal.key-id=id-0123456789", "fal.key-secret=top-secret-value")
                .run(context -> assertThat(context).hasSingleBean(AsyncFalClient.class));
        assertThat(startupLines(output)).singleElement().satisfies(line -> assertThat(line)
                .contains("key from properties fal.key-id + fal.key-secret (id-0…)"));
        assertThat(output.getAll()).doesNotContain("top-secret-value").doesNotContain("id-0123456789");
    }

    @Test
    void customSupplierFromABuilderCustomizerIsNamed(CapturedOutput output) {
        runner.withBean(FalClientBuilderCustomizer.class,
                        () -> builder -> builder.credentials(() -> "vault-key-0123456789abcdef"))
                .run(context -> assertThat(context).hasSingleBean(AsyncFalClient.class));
        assertThat(startupLines(output)).singleElement().satisfies(line -> assertThat(line)
                .contains("key from a custom credential supplier (vaul…)"));
        assertThat(output.getAll()).doesNotContain("vault-key-0123456789abcdef");
    }

    @Test
    void noKeySaysSoAndHowToSetOne(CapturedOutput output) {
        assumeTrue(System.getenv("FAL_KEY") == null && System.getenv("FAL_KEY_ID") == null,
                "a key in this environment is found by the core's lookup");
        runner.run(context -> assertThat(context).hasSingleBean(AsyncFalClient.class));
        assertThat(startupLines(output)).singleElement().satisfies(line -> assertThat(line)
                .contains("no key (set FAL_KEY or fal.key")
                .contains("queue https://queue.fal.run"));
    }

    private static List<String> startupLines(CapturedOutput output) {
        return output.getAll().lines().filter(line -> line.contains("fal client ready:")).toList();
    }
}
