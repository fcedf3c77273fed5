package dev.falclient.spring.autoconfigure.metrics;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.falclient.AsyncFalClient;
import dev.falclient.Completed;
import dev.falclient.FalClient;
import dev.falclient.FalException;
import dev.falclient.FalRequest;
import dev.falclient.FalRequestListener;
import dev.falclient.InProgress;
import dev.falclient.Queued;
import dev.falclient.spring.FalStubs;
import dev.falclient.spring.autoconfigure.FalAutoConfiguration;
import dev.falclient.spring.metrics.FalClientMetrics;
import dev.falclient.spring.metrics.FalMetricsListener;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

class FalMetricsAutoConfigurationTests {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final FalRequest REQUEST = new FalRequest("fal-ai/flux/dev", "r1");

    /** The fal and WebClient auto-configurations, without any metrics. */
    private final ApplicationContextRunner falOnly = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CodecsAutoConfiguration.class,
                    ReactiveHttpClientAutoConfiguration.class, WebClientAutoConfiguration.class,
                    FalAutoConfiguration.class, FalMetricsAutoConfiguration.class))
            .withPropertyValues("fal.key=metrics-key-0123456789", "fal.queue-url=" + wm.baseUrl(),
                    "fal.status-mode=POLLING", "fal.poll-interval=10ms", "fal.retry.max-attempts=1");

    /** Plus Boot's metrics auto-configuration and a simple registry. */
    private final ApplicationContextRunner runner = falOnly
            .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class))
            .withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new);

    @Test
    void shouldRegisterListenerAndBinderWhenRegistryAndClientExist() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(FalMetricsListener.class).hasBean("falMetricsListener")
                    .hasSingleBean(FalClientMetrics.class).hasBean("falClientMetrics");
            assertThat(context.getBeansOfType(FalRequestListener.class)).containsKey("falMetricsListener");
        });
    }

    @Test
    void shouldRecordFalsInferenceTimeWithLowCardinalityTags() {
        runner.run(context -> {
            FalMetricsListener listener = context.getBean(FalMetricsListener.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);

            listener.onSubmitted(REQUEST);
            listener.onStatusChanged(REQUEST, new Queued(2));
            listener.onStatusChanged(REQUEST, new InProgress(List.of()));
            listener.onStatusChanged(REQUEST, new Completed(List.of(), Map.of("inference_time", 1.5), null, null));
            FalRequest other = new FalRequest("fal-ai/flux/schnell", "r2");
            listener.onSubmitted(other);
            listener.onStatusChanged(other, new Completed(List.of(), Map.of(), "runner died", "runner_disconnected"));
            listener.onFailed(other, new FalException("failed", "r2"));
            listener.onCancelled(new FalRequest("fal-ai/fast-sdxl", "r3"));

            var inference = registry.get("fal.requests.inference").tag("endpoint", "fal-ai/flux").timer();
            assertThat(inference.count()).isEqualTo(1);
            assertThat(inference.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(1500.0);

            // the request counters are the fal.request observation's now
            List<Meter> falMeters = registry.getMeters().stream()
                    .filter(m -> m.getId().getName().startsWith("fal.requests.")).toList();
            assertThat(falMeters).extracting(m -> m.getId().getName()).containsExactly("fal.requests.inference");
            assertThat(falMeters).flatExtracting(m -> m.getId().getTags()).extracting(Tag::getKey)
                    .containsOnly("endpoint");
            assertThat(falMeters).flatExtracting(m -> m.getId().getTags()).extracting(Tag::getValue)
                    .doesNotContain("r1", "r2", "r3", "fal-ai/flux/dev", "fal-ai/flux/schnell");
        });
    }

    @Test
    void shouldIgnoreInferenceTimesThatAreNotNumbers() {
        runner.run(context -> {
            FalMetricsListener listener = context.getBean(FalMetricsListener.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);

            listener.onStatusChanged(REQUEST, new Completed(List.of(), Map.of("inference_time", "fast"), "x", null));
            listener.onStatusChanged(REQUEST, new Completed(List.of(), Map.of("inference_time", -1), null, null));
            listener.onFailed(new FalRequest("not an endpoint", "r9"), new FalException("boom", "r9"));

            assertThat(registry.find("fal.requests.inference").timer()).isNull();
        });
    }

    @Test
    void shouldNotRegisterWhenDisabled() {
        runner.withPropertyValues("fal.metrics.enabled=false").run(context -> {
            assertThat(context).hasSingleBean(AsyncFalClient.class)
                    .doesNotHaveBean(FalMetricsListener.class).doesNotHaveBean(FalClientMetrics.class);
            assertThat(context.getBean(MeterRegistry.class).find("fal.client.calls").meters()).isEmpty();
        });
    }

    @Test
    void shouldNotRegisterWithoutMeterRegistry() {
        falOnly.run(context -> assertThat(context).hasNotFailed().hasSingleBean(AsyncFalClient.class)
                .doesNotHaveBean(FalMetricsListener.class).doesNotHaveBean(FalClientMetrics.class));
    }

    @Test
    void shouldNotRegisterWhenFalIsDisabled() {
        runner.withPropertyValues("fal.enabled=false").run(context -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(AsyncFalClient.class).doesNotHaveBean(FalMetricsListener.class));
    }

    @Test
    void shouldStartWithoutMicrometerOnTheClassPath() {
        falOnly.withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(AsyncFalClient.class).hasSingleBean(FalClient.class)
                    .doesNotHaveBean("falMetricsListener").doesNotHaveBean("falClientMetrics");
        });
    }

    @Test
    void shouldBackOffFromUserListener() {
        FalMetricsListener mine = new FalMetricsListener(new SimpleMeterRegistry());
        runner.withBean("myFalMetrics", FalMetricsListener.class, () -> mine).run(context -> {
            assertThat(context).hasSingleBean(FalMetricsListener.class).doesNotHaveBean("falMetricsListener");
            assertThat(context.getBean(FalMetricsListener.class)).isSameAs(mine);
            assertThat(context).hasSingleBean(FalClientMetrics.class);
        });
    }

    @Test
    void shouldBackOffFromUserListenerNamedFalMetricsListener() {
        FalRequestListener mine = new FalRequestListener() {
        };
        runner.withBean("falMetricsListener", FalRequestListener.class, () -> mine).run(context -> {
            assertThat(context).doesNotHaveBean(FalMetricsListener.class);
            assertThat(context.getBean("falMetricsListener")).isSameAs(mine);
        });
    }

    @Test
    void gaugesReflectClientStats() {
        FalStubs.unauthorized(wm);
        runner.run(context -> {
            AsyncFalClient client = context.getBean(AsyncFalClient.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get("fal.client.calls.in.flight").gauge().value()).isZero();
            assertThat(registry.get("fal.client.calls").tag("outcome", "success").functionCounter().count()).isZero();

            assertThatThrownBy(() -> context.getBean(FalClient.class).submit(FalStubs.ENDPOINT, Map.of("p", "x")))
                    .isInstanceOf(FalException.class);

            // one rejected submit, not retried (fal.retry.max-attempts=1): one failed call, none in flight
            assertThat(registry.get("fal.client.calls").tag("outcome", "failure").functionCounter().count())
                    .isEqualTo(1.0);
            assertThat(registry.get("fal.client.calls").tag("outcome", "success").functionCounter().count()).isZero();
            assertThat(registry.get("fal.client.calls.in.flight").gauge().value()).isZero();
            assertThat(client.stats().failed()).isEqualTo(1);
        });
    }

    @Test
    void clientDrivenLifecycleIsCounted() {
        FalStubs.fullCycle(wm);
        runner.run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            FalClient fal = context.getBean(FalClient.class);

            assertThat(fal.subscribe(FalStubs.ENDPOINT, Map.of("prompt", "a lake")).get("seed").asInt())
                    .isEqualTo(42);

            // listener calls arrive on the fal-events threads; the inference time is recorded last
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                    .until(() -> registry.find("fal.requests.inference").timer() != null);
            var inference = registry.get("fal.requests.inference").tag("endpoint", FalStubs.ENDPOINT).timer();
            assertThat(inference.count()).isEqualTo(1);
            assertThat(inference.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(1200.0);

            // FalStubs.fullCycle: the submit, four status polls (IN_QUEUE 2, IN_QUEUE 1, IN_PROGRESS, COMPLETED),
            // the result
            assertThat(registry.get("fal.client.calls").tag("outcome", "success").functionCounter().count())
                    .isEqualTo(6.0);
            assertThat(registry.get("fal.client.calls").tag("outcome", "failure").functionCounter().count())
                    .isZero();
            assertThat(registry.getMeters()).flatExtracting(m -> m.getId().getTags()).extracting(Tag::getValue)
                    .doesNotContain(FalStubs.REQUEST_ID);
        });
    }
}
