package dev.falclient.spring.autoconfigure.observation;

import dev.falclient.AsyncFalClient;
import dev.falclient.observation.DefaultFalRequestObservationConvention;
import dev.falclient.observation.FalRequestObservationConvention;
import dev.falclient.spring.autoconfigure.FalAutoConfiguration;
import dev.falclient.spring.autoconfigure.FalClientBuilderCustomizer;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Records one {@code fal.request} observation per fal request (see
 * {@link dev.falclient.observation.FalRequestObservationDocumentation}) when an {@link ObservationRegistry} bean
 * exists, as Boot's {@code ObservationAutoConfiguration} provides with {@code spring-boot-starter-actuator}. Boot's
 * meter handler turns it into the {@code fal.request} timer and {@code fal.request.active} long task timer; a tracer
 * turns it into a span. Without a registry nothing is registered and the client records nothing.
 *
 * <p>Both beans back off when the application defines its own: a {@link FalRequestObservationConvention} bean
 * replaces the default convention; a bean named {@code falObservationCustomizer} replaces the wiring.
 *
 * <pre>{@code
 * @Bean
 * FalRequestObservationConvention falRequestObservationConvention() {
 *     return new DefaultFalRequestObservationConvention() {
 *         public String getName() { return "images.generation"; }
 *     };
 * }
 * }</pre>
 */
@AutoConfiguration(before = FalAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass({ AsyncFalClient.class, ObservationRegistry.class })
@ConditionalOnBean(ObservationRegistry.class)
@ConditionalOnBooleanProperty(name = "fal.enabled", matchIfMissing = true)
public final class FalObservationAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    FalRequestObservationConvention falRequestObservationConvention() {
        return new DefaultFalRequestObservationConvention();
    }

    /** First of the builder customizers, so that an application's own can still change the registry. */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    @ConditionalOnMissingBean(name = "falObservationCustomizer")
    FalClientBuilderCustomizer falObservationCustomizer(ObservationRegistry observationRegistry,
                                                        FalRequestObservationConvention convention) {
        return builder -> builder.observationRegistry(observationRegistry).observationConvention(convention);
    }
}
