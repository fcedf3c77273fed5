package dev.falclient.spring;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import org.slf4j.LoggerFactory;
import dev.falclient.AsyncFalClient;
import dev.falclient.FalClient;
import dev.falclient.FalException;
import dev.falclient.SubscribeOptions;
import dev.falclient.spring.autoconfigure.FalAutoConfiguration;
import dev.falclient.spring.autoconfigure.FalProperties;
import dev.falclient.spring.autoconfigure.health.FalHealthContributorAutoConfiguration;
import dev.falclient.spring.health.FalHealthIndicator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import tools.jackson.databind.json.JsonMapper;

@ExtendWith(OutputCaptureExtension.class)
class SecretsNeverLeakTests {

    static final String KEY_ID = "leakcheck-id-0001";
    static final String SECRET = "leakcheck-secret-9f8e7d6c";
    static final String KEY = "leakcheck-key-5a4b3c2d1e";

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @Test
    void keyNeverAppearsInToStringHealthOrLogs(CapturedOutput output) {
        Logger webClientLogger = (Logger) LoggerFactory.getLogger("org.springframework.web.reactive.function.client");
        Level previous = webClientLogger.getLevel();
        webClientLogger.setLevel(Level.DEBUG);
        try {
            run();
        } finally {
            webClientLogger.setLevel(previous);
        }
        // the core logs at DEBUG in these tests (see logback-test.xml): retries, stream fallbacks, failures
        assertThat(output.getAll()).contains("Retrying a fal call", "polling instead", "HTTP POST")
                .doesNotContain(KEY).doesNotContain(SECRET);
    }

    private void run() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class,
                        HealthContributorAutoConfiguration.class, FalAutoConfiguration.class,
                        FalHealthContributorAutoConfiguration.class))
                .withBean(EventCollector.class)
                .withPropertyValues("fal.key=" + KEY, "fal.key-id=" + KEY_ID, "fal.key-secret=" + SECRET,
                        "fal.queue-url=" + wm.baseUrl(), "fal.status-mode=STREAMING", "fal.poll-interval=10ms",
                        "fal.retry.max-attempts=2", "fal.retry.initial-backoff=10ms")
                .run(context -> {
                    FalClient fal = context.getBean(FalClient.class);
                    FalStubs.fullCycle(wm);
                    // the first submit attempt fails with a retryable 503 (logged at DEBUG with the error)
                    wm.stubFor(post(urlPathEqualTo("/" + FalStubs.ENDPOINT)).inScenario("flaky")
                            .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("ok").atPriority(1)
                            .willReturn(aResponse().withStatus(503).withBody("{\"detail\":\"busy\"}")));
                    fal.subscribe(FalStubs.ENDPOINT, Map.of("prompt", "x"),
                            SubscribeOptions.builder().withLogs(true).build());
                    wm.resetAll();
                    FalStubs.unauthorized(wm);
                    assertThatThrownBy(() -> fal.submit(FalStubs.ENDPOINT, Map.of("prompt", "x")))
                            .isInstanceOf(FalException.class)
                            .satisfies(e -> assertThat(e.toString()).doesNotContain(KEY));

                    StringBuilder everything = new StringBuilder();
                    everything.append(context.getBean(FalProperties.class)).append('\n')
                            .append(fal).append('\n').append(context.getBean(AsyncFalClient.class)).append('\n')
                            .append(fal.stats()).append('\n')
                            .append(context.getBean(FalHealthIndicator.class).health(true)).append('\n')
                            .append(JsonMapper.builder().build().writeValueAsString(
                                    context.getBean(FalHealthIndicator.class).health(true))).append('\n')
                            .append(context.getBean(EventCollector.class).events);
                    for (String name : context.getBeanDefinitionNames()) {
                        everything.append(context.getBean(name)).append('\n');
                    }
                    assertThat(everything).contains("FalProperties[", "credentialSource=fal.key")
                            .doesNotContain(KEY).doesNotContain(SECRET);
                });
    }
}
