package dev.falclient.spring.autoconfigure.webhook;

import dev.falclient.spring.autoconfigure.FalAutoConfiguration;
import dev.falclient.spring.autoconfigure.FalProperties;
import dev.falclient.spring.event.FalEventPublisher;
import dev.falclient.spring.webhook.FalWebhookObserver;
import dev.falclient.spring.webhook.FalWebhookReceiver;
import dev.falclient.webhook.FalWebhookDeduplicator;
import dev.falclient.webhook.FalWebhookVerifier;
import dev.falclient.webhook.InMemoryFalWebhookDeduplicator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The verified webhook receiver, on with {@code fal.webhook.enabled=true}: a {@link FalWebhookVerifier}
 * ({@code fal.webhook.jwks-url}, {@code tolerance}, {@code jwks-refetch-interval}), an in-memory
 * {@link FalWebhookDeduplicator} (define your own bean to deduplicate across instances), the
 * {@link FalWebhookReceiver}, and a {@code POST fal.webhook.path} endpoint for the application's stack: a WebFlux
 * {@code RouterFunction} in a reactive application, a Spring MVC one in a servlet application. Every bean backs off
 * when the application defines its own.
 *
 * <pre>{@code
 * fal.webhook.enabled=true
 * fal.webhook.url=https://app.example.com/fal/webhook
 * }</pre>
 */
@AutoConfiguration(after = FalAutoConfiguration.class)
@ConditionalOnClass(FalWebhookVerifier.class)
@ConditionalOnBooleanProperty(name = "fal.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty("fal.webhook.enabled")
@EnableConfigurationProperties(FalProperties.class)
public final class FalWebhookAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    FalWebhookVerifier falWebhookVerifier(FalProperties properties, ObjectProvider<WebClient.Builder> webClient) {
        FalWebhookVerifier.Builder builder = FalWebhookVerifier.builder()
                .settings(properties.webhook().settings())
                .http(properties.http());
        webClient.ifAvailable(builder::webClientBuilder);
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean
    FalWebhookDeduplicator falWebhookDeduplicator() {
        return new InMemoryFalWebhookDeduplicator();
    }

    @Bean
    @ConditionalOnMissingBean
    FalWebhookReceiver falWebhookReceiver(FalWebhookVerifier verifier, FalWebhookDeduplicator deduplicator,
            ObjectProvider<FalEventPublisher> events, ApplicationEventPublisher applicationEvents,
            ObjectProvider<FalWebhookObserver> observers) {
        return new FalWebhookReceiver(verifier, deduplicator,
                events.getIfAvailable(() -> new FalEventPublisher(applicationEvents)),
                new Observers(observers.orderedStream().toList()));
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    static final class Reactive {

        @Bean
        @ConditionalOnMissingBean(name = "falWebhookRoute")
        org.springframework.web.reactive.function.server.RouterFunction<
                org.springframework.web.reactive.function.server.ServerResponse> falWebhookRoute(
                FalProperties properties, FalWebhookReceiver receiver) {
            return ReactiveWebhookRoute.route(properties.webhook().path(), receiver);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = "org.springframework.web.servlet.function.RouterFunction")
    static final class Servlet {

        @Bean
        @ConditionalOnMissingBean(name = "falWebhookRoute")
        org.springframework.web.servlet.function.RouterFunction<
                org.springframework.web.servlet.function.ServerResponse> falWebhookRoute(
                FalProperties properties, FalWebhookReceiver receiver) {
            return ServletWebhookRoute.route(properties.webhook().path(), receiver);
        }
    }
}
