package dev.falclient.spring.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.falclient.FalClient;
import dev.falclient.emulator.FalEmulator;
import dev.falclient.emulator.WebhookRecord;
import dev.falclient.settings.WebhookSettings;
import dev.falclient.spring.autoconfigure.FalAutoConfiguration;
import dev.falclient.spring.autoconfigure.webhook.FalWebhookAutoConfiguration;
import dev.falclient.webhook.FalWebhookDeduplicator;
import dev.falclient.webhook.FalWebhookVerifier;
import dev.falclient.webhook.InMemoryFalWebhookDeduplicator;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;

class FalWebhookAutoConfigurationTests {

    private static FalEmulator emu;

    @BeforeAll
    static void startEmulator() {
        emu = FalEmulator.builder().processingTime(Duration.ofMillis(10)).start();
    }

    @AfterAll
    static void stopEmulator() {
        emu.close();
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FalAutoConfiguration.class, FalWebhookAutoConfiguration.class))
            .withPropertyValues("fal.key=webhook-test-key", "fal.queue-url=" + emu.queueUrl());

    @Test
    void receiverIsOffByDefault() {
        runner.run(context -> assertThat(context).hasSingleBean(FalClient.class)
                .doesNotHaveBean(FalWebhookVerifier.class).doesNotHaveBean(FalWebhookReceiver.class));
    }

    @Test
    void enabledReceiverHasTheCoreDefaultsAndNoRouteOutsideAWebApplication() {
        runner.withPropertyValues("fal.webhook.enabled=true").run(context -> {
            assertThat(context.getBean(FalWebhookVerifier.class).settings()).isEqualTo(WebhookSettings.DEFAULTS);
            assertThat(context).hasSingleBean(InMemoryFalWebhookDeduplicator.class)
                    .hasSingleBean(FalWebhookReceiver.class).doesNotHaveBean("falWebhookRoute");
        });
    }

    @Test
    void propertiesReachTheVerifier() {
        runner.withPropertyValues("fal.webhook.enabled=true", "fal.webhook.jwks-url=https://keys.example/jwks.json",
                "fal.webhook.tolerance=2m", "fal.webhook.jwks-refetch-interval=30s", "fal.webhook.max-body-size=64KB")
                .run(context -> assertThat(context.getBean(FalWebhookVerifier.class).settings()).isEqualTo(
                        new WebhookSettings("https://keys.example/jwks.json", Duration.ofMinutes(2),
                                Duration.ofSeconds(30), Duration.ofHours(24), 64 * 1024)));
    }

    @Test
    void applicationDeduplicatorReplacesTheDefault() {
        FalWebhookDeduplicator mine = requestId -> true;
        runner.withPropertyValues("fal.webhook.enabled=true")
                .withBean(FalWebhookDeduplicator.class, () -> mine)
                .run(context -> assertThat(context.getBean(FalWebhookDeduplicator.class)).isSameAs(mine));
    }

    @Test
    void badValuesFailTheStartNamingTheProperty() {
        runner.withPropertyValues("fal.webhook.path=fal/webhook").run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("fal.webhook.path"));
        runner.withPropertyValues("fal.webhook.url=not a url").run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("fal.webhook.url"));
        runner.withPropertyValues("fal.webhook.tolerance=0s").run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("fal.webhook.tolerance"));
    }

    @Test
    void webhookUrlIsTheDefaultOfEverySubmit() {
        emu.clearRequests();
        runner.withPropertyValues("fal.webhook.url=https://app.example/fal/webhook").run(context -> {
            FalClient fal = context.getBean(FalClient.class);
            String one = fal.submit("fal-ai/one", Map.of()).requestId();
            String two = fal.submit("fal-ai/two", Map.of(), dev.falclient.SubmitOptions.builder()
                    .webhookUrl("https://other.example/h").build()).requestId();
            assertThat(emu.webhooks()).extracting(WebhookRecord::requestId, WebhookRecord::url).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(one, "https://app.example/fal/webhook"),
                    org.assertj.core.groups.Tuple.tuple(two, "https://other.example/h"));
        });
    }

    @Test
    void webhookUrlTokenNeverShowsInToString() {
        runner.withPropertyValues("fal.webhook.url=https://app.example/fal/webhook?token=s3cret").run(context ->
                assertThat(context.getBean(dev.falclient.spring.autoconfigure.FalProperties.class).toString())
                        .contains("https://app.example/fal/webhook").doesNotContain("s3cret"));
    }

    @Test
    void reactiveApplicationGetsTheRoute() {
        new ReactiveWebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(FalAutoConfiguration.class,
                        FalWebhookAutoConfiguration.class))
                .withPropertyValues("fal.webhook.enabled=true")
                .run(context -> assertThat(context).hasBean("falWebhookRoute"));
        new ReactiveWebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(FalAutoConfiguration.class,
                        FalWebhookAutoConfiguration.class))
                .run(context -> assertThat(context).doesNotHaveBean("falWebhookRoute"));
    }
}
