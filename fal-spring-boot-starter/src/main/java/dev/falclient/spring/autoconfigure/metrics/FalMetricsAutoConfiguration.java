package dev.falclient.spring.autoconfigure.metrics;

import dev.falclient.AsyncFalClient;
import dev.falclient.spring.autoconfigure.FalAutoConfiguration;
import dev.falclient.spring.metrics.FalClientMetrics;
import dev.falclient.spring.metrics.FalMetricsListener;
import dev.falclient.spring.metrics.FalWebhookMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Registers fal's Micrometer meters when {@code micrometer-core} is on the class path (e.g. through
 * {@code spring-boot-starter-actuator}) and both a {@link MeterRegistry} and an {@link AsyncFalClient} bean exist:
 * the {@link FalMetricsListener} (fal's reported inference time; the starter registers it on the client like every
 * {@code FalRequestListener} bean) and the {@link FalClientMetrics} binder (gauge and counters of the
 * client's HTTP calls, bound by Boot's metrics auto-configuration). Turn it off with {@code fal.metrics.enabled=false};
 * replace either bean by defining one of its type or name ({@code falMetricsListener}, {@code falClientMetrics}).
 * The {@code fal.events.dropped} counter (listener callbacks dropped because the {@code fal-events} executor was
 * full) is registered by {@link FalAutoConfiguration}, which owns that executor, under the same switch. Requests
 * themselves are counted and timed by the {@code fal.request} observation
 * ({@link dev.falclient.spring.autoconfigure.observation.FalObservationAutoConfiguration}).
 *
 * <pre>{@code
 * management.endpoints.web.exposure.include=health,metrics
 * # GET /actuator/metrics/fal.requests.inference?tag=endpoint:fal-ai/flux
 * }</pre>
 */
@AutoConfiguration(after = FalAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass({ AsyncFalClient.class, MeterRegistry.class })
@ConditionalOnBean({ MeterRegistry.class, AsyncFalClient.class })
@ConditionalOnBooleanProperty(name = "fal.metrics.enabled", matchIfMissing = true)
public final class FalMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(value = FalMetricsListener.class, name = "falMetricsListener")
    FalMetricsListener falMetricsListener(MeterRegistry meterRegistry) {
        return new FalMetricsListener(meterRegistry);
    }

    /** Counters of the webhook receiver, when it is enabled. */
    @Bean
    @ConditionalOnBooleanProperty("fal.webhook.enabled")
    @ConditionalOnMissingBean(value = FalWebhookMetrics.class, name = "falWebhookMetrics")
    FalWebhookMetrics falWebhookMetrics(MeterRegistry meterRegistry) {
        return new FalWebhookMetrics(meterRegistry);
    }

    @Bean
    @ConditionalOnMissingBean(value = FalClientMetrics.class, name = "falClientMetrics")
    FalClientMetrics falClientMetrics(AsyncFalClient asyncFalClient) {
        return new FalClientMetrics(asyncFalClient);
    }
}
