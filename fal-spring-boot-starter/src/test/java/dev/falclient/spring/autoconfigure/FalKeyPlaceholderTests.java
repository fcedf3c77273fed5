package dev.falclient.spring.autoconfigure;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.falclient.FalClient;
import dev.falclient.FalCredentials;
import dev.falclient.MissingCredentialsException;
import dev.falclient.spring.autoconfigure.health.FalHealthContributorAutoConfiguration;
import dev.falclient.spring.health.FalHealthIndicator;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code fal.key=${FAL_KEY}} with {@code FAL_KEY} unset binds the text {@code ${FAL_KEY}}: such a key (or key id or
 * secret) is no key. Health says DOWN naming the placeholder, the first call throws a
 * {@link MissingCredentialsException} that names it and says how to fix it, and nothing is sent.
 */
class FalKeyPlaceholderTests {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    /** The process environment of these tests: no key at all. */
    private static final FalCredentials NO_ENVIRONMENT = FalCredentials.environment(Map.<String, String>of()::get);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(FalAutoConfigurationTests.UPSTREAM)
            .withConfiguration(AutoConfigurations.of(FalAutoConfiguration.class,
                    FalHealthContributorAutoConfiguration.class))
            .withPropertyValues("fal.queue-url=" + wm.baseUrl(), "fal.retry.max-attempts=1");

    @Test
    void unresolvedFalKeyPlaceholderIsDownAndTheFirstCallSaysHowToFixIt() {
        assumeTrue(System.getenv("FAL_KEY") == null
                        && (System.getenv("FAL_KEY_ID") == null || System.getenv("FAL_KEY_SECRET") == null),
                "a key in this environment resolves the placeholder");
        runner.withPropertyValues("fal.key=${FAL_KEY}").run(context -> {
            assertThat(context.getBean(FalProperties.class).key()).isEqualTo("${FAL_KEY}");
            Health health = context.getBean(FalHealthIndicator.class).health(true);
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).doesNotContainKeys("credentialSource", "key");
            assertThat((String) health.getDetails().get("reason"))
                    .startsWith("No fal key: fal.key is the unresolved placeholder ${FAL_KEY}")
                    .contains("${FAL_KEY:}");
            assertThatThrownBy(() -> context.getBean(FalClient.class).submit("fal-ai/flux", Map.of("prompt", "x")))
                    .isInstanceOf(MissingCredentialsException.class)
                    .hasMessageContaining("fal.key is the unresolved placeholder ${FAL_KEY}")
                    .hasMessageContaining("write ${FAL_KEY:}")
                    .hasMessageContaining("remove fal.key");
        });
        wm.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void anEmptyDefaultIsPlainNoKey() {
        chain((properties, credentials) -> {
            assertThat(properties.unresolvedKeyReason()).isEmpty();
            assertThat(credentials.resolve()).isEmpty();
            assertThat(credentials.missingReason()).isEmpty();
        }, "fal.key=${FAL_KEY_THAT_IS_NEVER_SET:}");
    }

    @Test
    void unresolvedKeyIdOrSecretIsNoKeyEither() {
        chain((properties, credentials) -> {
            assertThat(credentials.resolve()).isEmpty();
            assertThat(credentials.missingReason()).hasValueSatisfying(reason -> assertThat(reason)
                    .startsWith("fal.key-secret is the unresolved placeholder ${VAULT_FAL_SECRET}")
                    .contains("Set VAULT_FAL_SECRET", "${VAULT_FAL_SECRET:}", "FAL_KEY_SECRET"));
        }, "fal.key-id=my-key-id", "fal.key-secret=${VAULT_FAL_SECRET}");
    }

    @Test
    void aPartlyResolvedKeyIsNamedByItsPlaceholderOnly() {
        chain((properties, credentials) -> {
            assertThat(credentials.resolve()).isEmpty();
            assertThat(credentials.missingReason()).hasValueSatisfying(reason -> assertThat(reason)
                    .startsWith("fal.key contains the unresolved placeholder ${FAL_TEST_NEVER_SET_SECRET}")
                    .doesNotContain("0123456789"));
        }, "fal.key=id-0123456789:${FAL_TEST_NEVER_SET_SECRET}");
    }

    @Test
    void theEnvironmentStillAppliesAfterAnUnresolvedPlaceholder() {
        runner.withPropertyValues("fal.key=${FAL_KEY_THAT_IS_NEVER_SET}").run(context -> {
            FalCredentials credentials = FalCredentialSources.chain(context.getBean(FalProperties.class),
                    context.getEnvironment(), FalCredentials.environment(Map.of("FAL_KEY", "env-key")::get));
            assertThat(credentials.resolve()).hasValueSatisfying(credential -> {
                assertThat(credential.key()).isEqualTo("env-key");
                assertThat(credential.source()).isEqualTo("FAL_KEY");
            });
        });
    }

    /** Binds {@code properties} and checks the starter's credential chain over an environment without a key. */
    private void chain(BiConsumer<FalProperties, FalCredentials> check, String... properties) {
        runner.withPropertyValues(properties).run(context -> {
            FalProperties bound = context.getBean(FalProperties.class);
            check.accept(bound, FalCredentialSources.chain(bound, context.getEnvironment(), NO_ENVIRONMENT));
        });
    }
}
