package dev.falclient.sample;

import dev.falclient.FalCredentials;
import dev.falclient.emulator.FalEmulator;
import dev.falclient.settings.UrlSettings;
import dev.falclient.spring.autoconfigure.FalConnectionDetails;
import dev.falclient.spring.autoconfigure.FalProperties;
import dev.falclient.webhook.FalWebhookVerifier;
import java.util.Optional;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Emulator mode: starts an in-process {@link FalEmulator} (closed on shutdown) and points the starter's client and
 * proxy at it through a {@link FalConnectionDetails} bean, with a dummy key. The starter knows nothing about this; the
 * choice is the sample's ({@link ConditionalOnFalMode}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnFalMode(FalMode.EMULATOR)
public class EmulatorConfiguration {

    /** The key the client sends to the emulator (which accepts any non-empty key). */
    static final String EMULATOR_KEY = "emulator-key";

    @Bean(destroyMethod = "close")
    FalEmulator falEmulator(SampleProperties properties) {
        SampleProperties.Emulator settings = properties.emulator();
        FalEmulator emulator = FalEmulator.builder()
                .port(settings.port())
                .processingTime(settings.processingTime())
                .logLines(settings.logLines().size())
                .deliverWebhooks(true) // only to submits that name a webhook URL (sample.completion=webhook)
                .start();
        // one worker on the sample's endpoint, so that queue positions count down visibly
        emulator.endpoint(properties.endpointId())
                .workers(settings.workers())
                .processingTime(settings.processingTime())
                .logLines(settings.logLines());
        return emulator;
    }

    /** In webhook mode, the starter's receiver trusts the key that signs the emulator's deliveries. */
    @Bean
    @ConditionalOnBooleanProperty("fal.webhook.enabled")
    FalWebhookVerifier falWebhookVerifier(FalEmulator emulator, FalProperties properties) {
        return FalWebhookVerifier.builder()
                .settings(properties.webhook().settings().withJwksUrl(emulator.jwksUrl()))
                .build();
    }

    /**
     * The emulator's URLs and a dummy key, as Spring Boot's connection details: the client and the fal proxy (which
     * {@code /fal-js.html} uses) read them instead of {@code fal.key} and {@code fal.*-url}.
     */
    @Bean
    FalConnectionDetails falEmulatorConnectionDetails(FalEmulator emulator) {
        FalCredentials emulatorKey = () -> Optional.of(new FalCredentials.Credential(EMULATOR_KEY, "emulator"));
        return FalConnectionDetails.of(emulatorKey,
                new UrlSettings(emulator.queueUrl(), emulator.runUrl(), emulator.restUrl(), emulator.cdnUrl()));
    }
}
