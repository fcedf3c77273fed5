package dev.falclient.spring.autoconfigure.observation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.falclient.FalClient;
import dev.falclient.emulator.FalEmulator;
import dev.falclient.observation.DefaultFalRequestObservationConvention;
import dev.falclient.observation.FalRequestObservationConvention;
import dev.falclient.spring.autoconfigure.FalAutoConfiguration;
import dev.falclient.spring.autoconfigure.FalClientBuilderCustomizer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.boot.webclient.autoconfigure.WebClientObservationAutoConfiguration;

class FalObservationAutoConfigurationTests {

    private static final String APP = "fal-ai/flux/dev";

    private FalEmulator emulator;
    private ApplicationContextRunner falOnly;

    @BeforeEach
    void start() {
        emulator = FalEmulator.builder().processingTime(Duration.ofMillis(20)).start();
        falOnly = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CodecsAutoConfiguration.class,
                        ReactiveHttpClientAutoConfiguration.class, WebClientAutoConfiguration.class,
                        FalAutoConfiguration.class, FalObservationAutoConfiguration.class))
                .withPropertyValues("fal.key=observation-key-0123456789", "fal.queue-url=" + emulator.queueUrl(),
                        "fal.run-url=" + emulator.runUrl(), "fal.status-mode=POLLING", "fal.poll-interval=10ms");
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    /** Boot's observation, metrics and WebClient observation auto-configurations with a simple registry. */
    private ApplicationContextRunner withBootObservability() {
        return falOnly.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class,
                        MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                        WebClientObservationAutoConfiguration.class))
                .withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new);
    }

    @Test
    void shouldNotRegisterObservationBeansWithoutRegistry() {
        falOnly.run(context -> {
            assertThat(context).hasSingleBean(FalClient.class)
                    .doesNotHaveBean(FalRequestObservationConvention.class)
                    .doesNotHaveBean("falObservationCustomizer")
                    .doesNotHaveBean(ObservationRegistry.class);
            context.getBean(FalClient.class).subscribe(APP, Map.of("prompt", "x"));
        });
    }

    @Test
    void shouldRecordFalRequestObservationWhenRegistryExists() {
        TestObservationRegistry registry = TestObservationRegistry.create();
        falOnly.withBean(ObservationRegistry.class, () -> registry).run(context -> {
            assertThat(context).hasSingleBean(FalRequestObservationConvention.class)
                    .hasBean("falObservationCustomizer");
            assertThat(context.getBean(FalRequestObservationConvention.class))
                    .isExactlyInstanceOf(DefaultFalRequestObservationConvention.class);

            context.getBean(FalClient.class).subscribe(APP, Map.of("prompt", "x"));

            TestObservationRegistryAssert.assertThat(registry).hasObservationWithNameEqualTo("fal.request").that()
                    .hasLowCardinalityKeyValue("fal.endpoint", APP)
                    .hasLowCardinalityKeyValue("fal.outcome", "completed")
                    .hasHighCardinalityKeyValueWithKey("fal.request_id")
                    .hasBeenStopped();
        });
    }

    @Test
    void customConventionBeanWins() {
        TestObservationRegistry registry = TestObservationRegistry.create();
        FalRequestObservationConvention custom = new DefaultFalRequestObservationConvention() {
            @Override
            public String getName() {
                return "images.generation";
            }
        };
        falOnly.withBean(ObservationRegistry.class, () -> registry)
                .withBean(FalRequestObservationConvention.class, () -> custom)
                .run(context -> {
                    assertThat(context.getBean(FalRequestObservationConvention.class)).isSameAs(custom);

                    context.getBean(FalClient.class).subscribe(APP, Map.of("prompt", "x"));

                    TestObservationRegistryAssert.assertThat(registry)
                            .hasNumberOfObservationsWithNameEqualTo("fal.request", 0)
                            .hasObservationWithNameEqualTo("images.generation").that()
                            .hasLowCardinalityKeyValue("fal.outcome", "completed");
                });
    }

    @Test
    void customWiringBeanNamedFalObservationCustomizerWins() {
        TestObservationRegistry registry = TestObservationRegistry.create();
        FalClientBuilderCustomizer mine = builder -> { };
        falOnly.withBean(ObservationRegistry.class, () -> registry)
                .withBean("falObservationCustomizer", FalClientBuilderCustomizer.class, () -> mine)
                .run(context -> {
                    assertThat(context.getBean("falObservationCustomizer")).isSameAs(mine);
                    context.getBean(FalClient.class).subscribe(APP, Map.of("prompt", "x"));
                    TestObservationRegistryAssert.assertThat(registry).doesNotHaveAnyObservation();
                });
    }

    @Test
    void shouldNotRegisterObservationBeansWhenFalIsDisabled() {
        falOnly.withBean(ObservationRegistry.class, TestObservationRegistry::create)
                .withPropertyValues("fal.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(FalRequestObservationConvention.class)
                        .doesNotHaveBean(FalClient.class));
    }

    @Test
    void bootsObservabilityRecordsFalRequestTimerAndHttpClientRequestsWithUriTemplates() {
        withBootObservability().run(context -> {
            MeterRegistry meters = context.getBean(MeterRegistry.class);

            context.getBean(FalClient.class).subscribe(APP, Map.of("prompt", "x"));

            assertThat(meters.get("fal.request").tags("fal.endpoint", APP, "fal.outcome", "completed").timer()
                    .count()).isEqualTo(1);
            assertThat(meters.find("fal.request").timers()).allSatisfy(timer ->
                    assertThat(timer.getId().getTag("fal.request_id")).isNull());
            List<String> uris = meters.find("http.client.requests").timers().stream()
                    .map(timer -> timer.getId().getTag("uri")).distinct().toList();
            assertThat(uris).contains("/{endpoint}", "/{endpoint}/requests/{request_id}/status",
                    "/{endpoint}/requests/{request_id}").doesNotContain("none");
        });
    }

    @Test
    void poolMetricsAreRecordedByDefault() {
        withBootObservability().run(context -> {
            context.getBean(FalClient.class).subscribe(APP, Map.of("prompt", "x"));

            assertThat(poolMeters(context.getBean(MeterRegistry.class))).isNotEmpty()
                    .allSatisfy(meter -> assertThat(meter.getId().getName())
                            .startsWith("reactor.netty.connection.provider."));
        });
    }

    @Test
    void poolMetricsCanBeSwitchedOff() {
        withBootObservability().withPropertyValues("fal.pool.metrics=false").run(context -> {
            context.getBean(FalClient.class).subscribe(APP, Map.of("prompt", "x"));

            assertThat(poolMeters(context.getBean(MeterRegistry.class))).isEmpty();
        });
    }

    /** Reactor Netty's meters of the fal client's pool to this test's emulator (ports differ between tests). */
    private List<Meter> poolMeters(MeterRegistry registry) {
        return registry.getMeters().stream()
                .filter(meter -> "fal-client".equals(meter.getId().getTag("name")))
                .filter(meter -> String.valueOf(meter.getId().getTag("remote.address"))
                        .endsWith(":" + emulator.port()))
                .toList();
    }
}
