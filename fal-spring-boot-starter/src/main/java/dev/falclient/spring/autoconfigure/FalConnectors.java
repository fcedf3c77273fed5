package dev.falclient.spring.autoconfigure;

import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.http.client.reactive.ClientHttpConnector;
import reactor.netty.http.client.HttpClient;

/**
 * Applies Spring Boot's HTTP client settings ({@code spring.http.clients.*}: SSL bundle and redirects) to the fal
 * client's own pooled Reactor Netty client, through Boot's connector builder. Timeouts are left out: fal's calls
 * are bounded by the {@code fal.*} timeouts, which a global read timeout meant for short calls must not override.
 */
final class FalConnectors {

    private FalConnectors() {
    }

    static Function<HttpClient, ClientHttpConnector> bootSettings(FalProperties properties, HttpClientSettings boot,
                                                                  Supplier<SslBundles> sslBundles) {
        SslBundle bundle = properties.sslBundle() == null || properties.sslBundle().isBlank() ? boot.sslBundle()
                : sslBundles.get().getBundle(properties.sslBundle());
        HttpClientSettings settings = new HttpClientSettings(boot.redirects(), null, null, bundle);
        return http -> ClientHttpConnectorBuilder.reactor().withHttpClientFactory(() -> http).build(settings);
    }
}
