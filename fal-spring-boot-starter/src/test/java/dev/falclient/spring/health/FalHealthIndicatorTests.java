package dev.falclient.spring.health;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.falclient.FalClient;
import dev.falclient.FalException;
import dev.falclient.MissingCredentialsException;
import dev.falclient.spring.FalStubs;
import dev.falclient.spring.autoconfigure.FalAutoConfiguration;
import dev.falclient.spring.autoconfigure.health.FalHealthContributorAutoConfiguration;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import tools.jackson.databind.json.JsonMapper;

class FalHealthIndicatorTests {

    static final String KEY = "health-key-abcdef-0123456789";

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CodecsAutoConfiguration.class,
                    ReactiveHttpClientAutoConfiguration.class, WebClientAutoConfiguration.class,
                    HealthContributorAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class,
                    FalAutoConfiguration.class, FalHealthContributorAutoConfiguration.class))
            .withPropertyValues("fal.queue-url=" + wm.baseUrl(), "fal.status-mode=POLLING",
                    "fal.poll-interval=10ms", "fal.retry.max-attempts=1");

    @Test
    void missingKeyIsDownWithReason() {
        runner.run(context -> {
            Health health = healthWithoutCallingFal(context.getBean(FalHealthIndicator.class));
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("reason", FalHealthIndicator.NO_KEY_REASON)
                    .containsEntry("queueUrl", wm.baseUrl()).doesNotContainKey("key");
            assertThatThrownBy(() -> context.getBean(FalClient.class).submit(FalStubs.ENDPOINT, Map.of()))
                    .isInstanceOf(MissingCredentialsException.class);
        });
    }

    @Test
    void keyWithoutCallsIsUp() {
        runner.withPropertyValues("fal.key=" + KEY).run(context -> {
            assertThat(context.getBeansOfType(org.springframework.boot.health.contributor.HealthIndicator.class))
                    .containsKey("falHealthIndicator");
            assertThat(context.getBean(HealthContributorRegistry.class).getContributor("fal")).isNotNull();
            Health health = healthWithoutCallingFal(context.getBean(FalHealthIndicator.class));
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("credentialSource", "fal.key")
                    .containsEntry("key", "heal…").containsEntry("inFlight", 0L).doesNotContainKey("lastSuccess");
        });
    }

    @Test
    void rejectedKeyIsDownThenUpAfterSuccess() {
        FalStubs.unauthorized(wm);
        runner.withPropertyValues("fal.key=" + KEY).run(context -> {
            FalClient fal = context.getBean(FalClient.class);
            FalHealthIndicator indicator = context.getBean(FalHealthIndicator.class);
            assertThatThrownBy(() -> fal.submit(FalStubs.ENDPOINT, Map.of("prompt", "x")))
                    .isInstanceOf(FalException.class);
            Health down = healthWithoutCallingFal(indicator);
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(down.getDetails()).containsKeys("reason", "lastFailure", "lastErrorType");
            assertThat((String) down.getDetails().get("reason")).contains("401");
            assertNoKey(down);

            wm.resetAll();
            FalStubs.fullCycle(wm);
            fal.subscribe(FalStubs.ENDPOINT, Map.of("prompt", "x"));
            Health up = healthWithoutCallingFal(indicator);
            assertThat(up.getStatus()).isEqualTo(Status.UP);
            assertThat(up.getDetails()).containsKeys("lastSuccess", "lastFailure").doesNotContainKey("reason");
            assertNoKey(up);
        });
    }

    /**
     * The indicator's health, computed while asserting that no HTTP request reached fal (the WireMock server) during
     * the computation or shortly after it: the README promises that health never calls fal.
     */
    static Health healthWithoutCallingFal(FalHealthIndicator indicator) {
        int before = wm.getAllServeEvents().size();
        Health health = indicator.health(true);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(wm.getAllServeEvents()).as("requests that reached fal while health was computed")
                        .hasSize(before));
        return health;
    }

    static void assertNoKey(Health health) {
        String json = JsonMapper.builder().build().writeValueAsString(health);
        assertThat(json).doesNotContain(KEY).doesNotContain(KEY.substring(5));
        assertThat(health.toString()).doesNotContain(KEY);
    }
}
