package dev.falclient.spring.autoconfigure.health;

import dev.falclient.AsyncFalClient;
import dev.falclient.spring.autoconfigure.FalAutoConfiguration;
import dev.falclient.spring.autoconfigure.FalProperties;
import dev.falclient.spring.health.FalHealthIndicator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Registers the {@code fal} health contributor ({@link FalHealthIndicator}) when {@code spring-boot-health} is on
 * the class path (e.g. through {@code spring-boot-starter-actuator}) and an {@link AsyncFalClient} bean exists.
 * Turn it off with {@code management.health.fal.enabled=false}; replace it with a bean named
 * {@code falHealthIndicator}.
 *
 * <pre>{@code
 * management.health.fal.enabled=true
 * }</pre>
 */
@AutoConfiguration(after = FalAutoConfiguration.class)
@ConditionalOnClass({ AsyncFalClient.class, HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(AsyncFalClient.class)
@ConditionalOnEnabledHealthIndicator("fal")
public final class FalHealthContributorAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = { "falHealthIndicator", "falHealthContributor" })
    FalHealthIndicator falHealthIndicator(AsyncFalClient asyncFalClient, ObjectProvider<FalProperties> properties) {
        FalProperties fal = properties.getIfAvailable();
        return new FalHealthIndicator(asyncFalClient, fal == null ? null : fal.unresolvedKeyReason().orElse(null));
    }
}
