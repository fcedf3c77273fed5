package dev.falclient.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.falclient.AsyncFalClient;
import dev.falclient.FalCredentials;
import dev.falclient.Priority;
import dev.falclient.StatusMode;
import dev.falclient.settings.HttpSettings;
import dev.falclient.settings.PoolSettings;
import dev.falclient.settings.RetrySettings;
import dev.falclient.settings.TrackingSettings;
import dev.falclient.settings.UrlSettings;
import dev.falclient.settings.WaitSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class FalPropertiesTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class, FalAutoConfiguration.class));

    @Test
    void defaultsAreTheCoreClientsOwn() {
        // the starter's defaults are the core's DEFAULT_* texts, read by Boot; the core reads the same texts itself
        FalProperties properties = bind();
        assertThat(properties.urls()).isEqualTo(UrlSettings.DEFAULTS);
        assertThat(properties.http()).isEqualTo(HttpSettings.DEFAULTS);
        assertThat(properties.waiting()).isEqualTo(WaitSettings.DEFAULTS);
        assertThat(properties.retry().settings()).isEqualTo(RetrySettings.DEFAULTS);
        assertThat(properties.pool().settings()).isEqualTo(PoolSettings.DEFAULTS);
        assertThat(properties.events().tracking()).isEqualTo(TrackingSettings.DEFAULTS);
        assertThat(properties.storage().settings()).isEqualTo(dev.falclient.settings.StorageSettings.DEFAULTS);
        assertThat(properties.defaultPriority()).isNull();
        assertThat(properties.defaultHeaders()).isEmpty();
    }

    @Test
    void bindsEveryPropertyIntoTheCoreSettings() {
        FalProperties p = bind(
                "fal.queue-url=http://localhost:9000/queue/", "fal.run-url=http://localhost:9000/run",
                "fal.rest-url=http://localhost:9000/rest", "fal.cdn-url=http://localhost:9000/cdn",
                "fal.connect-timeout=100ms", "fal.response-timeout=2m", "fal.wait-timeout=30s",
                "fal.call-timeout=4m", "fal.run-timeout=20m",
                "fal.poll-interval=250ms", "fal.status-mode=polling", "fal.stream-idle-timeout=5s",
                "fal.max-in-memory-size=1MB", "fal.default-priority=low",
                "fal.default-headers[X-Fal-Runner-Hint]=gpu-a",
                "fal.retry.max-attempts=0", "fal.retry.initial-backoff=1s", "fal.retry.max-backoff=20s",
                "fal.retry.jitter=0", "fal.retry.max-retry-after=5s", "fal.retry.retry-ambiguous-submits=true",
                "fal.pool.max-connections=7", "fal.pool.pending-acquire-max-count=8",
                "fal.pool.pending-acquire-timeout=9s", "fal.pool.max-status-streams=3",
                "fal.events.track-submitted=true", "fal.events.track-with-logs=false",
                "fal.events.max-tracked-requests=11", "fal.events.max-observed-requests=12", "fal.events.threads=2",
                "fal.events.queue-capacity=50",
                "fal.storage.auto-upload=false", "fal.storage.multipart-threshold=5GB", "fal.storage.part-size=8MB",
                "fal.storage.parallelism=4", "fal.storage.default-expires-in=7d", "fal.storage.part-timeout=1m",
                "fal.storage.upload-timeout=30m");
        assertThat(p.urls()).isEqualTo(new UrlSettings("http://localhost:9000/queue", "http://localhost:9000/run",
                "http://localhost:9000/rest", "http://localhost:9000/cdn"));
        assertThat(p.http()).isEqualTo(new HttpSettings(Duration.ofMillis(100), Duration.ofMinutes(2),
                Duration.ofMinutes(4), Duration.ofMinutes(20), 1024 * 1024));
        assertThat(p.waiting()).isEqualTo(new WaitSettings(StatusMode.POLLING, Duration.ofMillis(250),
                Duration.ofSeconds(5), Duration.ofSeconds(30)));
        assertThat(p.retry().settings()).isEqualTo(new RetrySettings(1, Duration.ofSeconds(1), Duration.ofSeconds(20),
                0.0, Duration.ofSeconds(5), true));
        assertThat(p.pool().settings()).isEqualTo(new PoolSettings(7, 8, Duration.ofSeconds(9), 3));
        assertThat(p.events().tracking()).isEqualTo(new TrackingSettings(true, false, 11, 12));
        assertThat(p.storage().settings()).isEqualTo(new dev.falclient.settings.StorageSettings(false,
                5L * 1024 * 1024 * 1024, 8 * 1024 * 1024, 4, "7d", Duration.ofMinutes(1), Duration.ofMinutes(30)));
        assertThat(p.defaultPriority()).isEqualTo(Priority.LOW);
        assertThat(p.defaultHeaders()).containsExactly(Map.entry("X-Fal-Runner-Hint", "gpu-a"));
        assertThat(p.events().threads()).isEqualTo(2);
        assertThat(p.events().queueCapacity()).isEqualTo(50);
    }

    @Test
    void keyFromPropertiesReportsPropertySource() {
        runner.withPropertyValues("fal.key=prop-key-0123456789").run(context -> {
            assertThat(context.getBean(AsyncFalClient.class).stats().credentialSource()).contains("fal.key");
            assertThat(context.getBean(AsyncFalClient.class).stats().maskedKey()).contains("prop…");
        });
    }

    @Test
    void keyIdAndSecretAreJoined() {
        runner.withPropertyValues("fal.key-id=id-0123456789", "fal.key-secret=secret-value").run(context -> {
            assertThat(context.getBean(AsyncFalClient.class).stats().credentialSource()).contains("fal.key-id");
            assertThat(context.getBean(AsyncFalClient.class).stats().maskedKey()).contains("id-0…");
        });
    }

    @Test
    void environmentVariablesBindWithoutPlaceholders() {
        Map<String, Object> env = new HashMap<>();
        env.put("FAL_KEY", "env-key-0123456789");
        env.put("FAL_POLL_INTERVAL", "100ms");
        env.put("FAL_RETRY_MAXATTEMPTS", "2");
        env.put("FAL_EVENTS_TRACKSUBMITTED", "true");
        runner.withInitializer(context -> context.getEnvironment().getPropertySources()
                        .addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment", env)))
                .run(context -> {
                    FalProperties properties = context.getBean(FalProperties.class);
                    assertThat(properties.key()).isEqualTo("env-key-0123456789");
                    assertThat(properties.pollInterval()).isEqualTo(Duration.ofMillis(100));
                    assertThat(properties.retry().maxAttempts()).isEqualTo(2);
                    assertThat(properties.events().trackSubmitted()).isTrue();
                    assertThat(context.getBean(AsyncFalClient.class).stats().credentialSource())
                            .contains("FAL_KEY");
                });
    }

    @Test
    void keyIdFromEnvironmentReportsVariable() {
        Map<String, Object> env = Map.of("FAL_KEY_ID", "env-id-0123456789", "FAL_KEY_SECRET", "s");
        runner.withInitializer(context -> context.getEnvironment().getPropertySources()
                        .addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment", env)))
                .run(context -> assertThat(context.getBean(AsyncFalClient.class).stats().credentialSource())
                        .contains("FAL_KEY_ID"));
    }

    @Test
    void propertyKeyWinsOverIdAndSecretAndChainFallsBackToCoreEnvironment() {
        FalProperties both = bind("fal.key=k-0123456789", "fal.key-id=i", "fal.key-secret=s");
        assertThat(FalCredentialSources.chain(both, null, FalCredentials.environment(name -> null)).resolve())
                .hasValueSatisfying(c -> assertThat(c.source()).isEqualTo("fal.key"));
        FalProperties none = bind();
        FalCredentials fromEnv = FalCredentialSources.chain(none, null,
                FalCredentials.environment(Map.of("FAL_KEY", "os-key-0123456789")::get));
        assertThat(fromEnv.resolve()).hasValueSatisfying(c -> {
            assertThat(c.source()).isEqualTo("FAL_KEY");
            assertThat(c.key()).isEqualTo("os-key-0123456789");
        });
        assertThat(FalCredentialSources.chain(none, null, FalCredentials.environment(name -> null)).resolve())
                .isEmpty();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "fal.connect-timeout|-1s",
            "fal.response-timeout|0s",
            "fal.wait-timeout|0ms",
            "fal.call-timeout|0s",
            "fal.run-timeout|-1m",
            "fal.poll-interval|-100ms",
            "fal.stream-idle-timeout|0s",
            "fal.queue-url|not a url",
            "fal.run-url|ftp://fal.run",
            "fal.rest-url|localhost:8080",
            "fal.cdn-url|http://",
            "fal.default-priority|urgent",
            "fal.status-mode|websocket",
            "fal.max-in-memory-size|0B",
            "fal.retry.max-attempts|-1",
            "fal.retry.initial-backoff|0s",
            "fal.retry.max-backoff|-5s",
            "fal.retry.jitter|1.5",
            "fal.retry.max-retry-after|0s",
            "fal.pool.max-connections|0",
            "fal.pool.pending-acquire-max-count|-1",
            "fal.pool.pending-acquire-timeout|0s",
            "fal.events.max-tracked-requests|0",
            "fal.events.max-observed-requests|0",
            "fal.pool.max-status-streams|-1",
            "fal.events.threads|0",
            "fal.events.queue-capacity|0",
            "fal.storage.part-size|0B",
            "fal.storage.part-size|3GB",
            "fal.storage.multipart-threshold|0B",
            "fal.storage.parallelism|0",
            "fal.storage.default-expires-in|2w",
            "fal.storage.part-timeout|0s",
            "fal.storage.upload-timeout|0s",
            "fal.connect-timeout|soon" })
    void invalidValueFailsStartupNamingTheProperty(String property, String value) {
        runner.withPropertyValues(property + "=" + value).run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains(property);
        });
    }

    @Test
    void toStringMasksSecrets() {
        FalProperties properties = bind("fal.key=super-secret-key-123", "fal.key-id=the-id",
                "fal.key-secret=super-secret-456");
        assertThat(properties.toString()).doesNotContain("super-secret").contains("the-id").contains("******");
    }

    static FalProperties bind(String... pairs) {
        AtomicReference<FalProperties> bound = new AtomicReference<>();
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(FalAutoConfiguration.class))
                .withPropertyValues(pairs).run(context -> bound.set(context.getBean(FalProperties.class)));
        return bound.get();
    }

    static String messages(Throwable error) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }
}
