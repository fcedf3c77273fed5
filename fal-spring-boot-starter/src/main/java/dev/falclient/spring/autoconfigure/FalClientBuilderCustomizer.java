package dev.falclient.spring.autoconfigure;

import dev.falclient.AsyncFalClient;

/**
 * Customises the {@link AsyncFalClient.Builder} of the auto-configured client after every {@code fal.*} property
 * was applied, so a customizer has the last word. Beans of this type are applied in
 * {@link org.springframework.core.annotation.Order @Order} / {@link org.springframework.core.Ordered} order.
 *
 * <pre>{@code
 * @Bean
 * FalClientBuilderCustomizer falProxy() {
 *     return builder -> builder
 *             .httpClient(http -> http.proxy(p -> p.type(ProxyProvider.Proxy.HTTP).host("proxy").port(3128)))
 *             .credentials(() -> vault.read("fal-key"));
 * }
 * }</pre>
 */
@FunctionalInterface
public interface FalClientBuilderCustomizer {

    /** Customises the builder before the client is built. */
    void customize(AsyncFalClient.Builder builder);
}
