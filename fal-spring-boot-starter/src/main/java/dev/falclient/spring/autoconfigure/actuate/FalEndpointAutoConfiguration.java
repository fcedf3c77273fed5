package dev.falclient.spring.autoconfigure.actuate;

import dev.falclient.AsyncFalClient;
import dev.falclient.spring.actuate.FalEndpoint;
import dev.falclient.spring.autoconfigure.FalAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Registers the read-only {@code fal} actuator endpoint ({@link FalEndpoint}) when the actuator is on the class
 * path, an {@link AsyncFalClient} bean exists and the endpoint is available (enabled, and exposed over HTTP or JMX:
 * {@code management.endpoints.web.exposure.include=fal}). Replace it with your own {@link FalEndpoint} bean.
 */
@AutoConfiguration(after = FalAutoConfiguration.class)
@ConditionalOnClass({ AsyncFalClient.class, Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(AsyncFalClient.class)
public final class FalEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    FalEndpoint falEndpoint(AsyncFalClient asyncFalClient) {
        return new FalEndpoint(asyncFalClient);
    }
}
