package dev.falclient.spring.autoconfigure;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * Customises the {@link WebClient.Builder} the auto-configured fal client starts from, and only that one: it is a
 * clone of Boot's {@code WebClient.Builder}, so Boot's global {@code WebClientCustomizer}s have already been
 * applied and other WebClients of the application are not affected. Beans of this type are applied in
 * {@link org.springframework.core.annotation.Order @Order} / {@link org.springframework.core.Ordered} order.
 *
 * <pre>{@code
 * @Bean
 * FalWebClientCustomizer falTracingHeader() {
 *     return builder -> builder.defaultHeader("X-Team", "imaging");
 * }
 * }</pre>
 *
 * <p>The client replaces the connector with its own pooled Reactor Netty connector and reads bodies with its own
 * JSON mapper; use {@link FalClientBuilderCustomizer} with {@code httpClient(...)} to customise the connection.
 */
@FunctionalInterface
public interface FalWebClientCustomizer {

    /** Customises the fal client's WebClient builder. */
    void customize(WebClient.Builder webClientBuilder);
}
