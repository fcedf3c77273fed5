package dev.falclient.spring.autoconfigure;

import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.HttpRedirects;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.http.client.reactive.ClientHttpConnector;
import reactor.netty.http.client.HttpClient;

/**
 * Applies Spring Boot's SSL bundle ({@code fal.ssl-bundle}, else {@code spring.http.clients.ssl.bundle}) to the fal
 * client's own pooled Reactor Netty client, through Boot's connector builder. Two of Boot's settings are
 * deliberately not taken:
 * <ul>
 *   <li>redirects ({@code spring.http.clients.redirects}): fal calls never follow a redirect, as in the core client.
 *   A followed 307 would re-send the prompt and the key to another host and trust its answer, bypassing the rule
 *   that only URLs below the queue URL are called. A redirect fails the call with a {@code FalHttpException}
 *   carrying its 3xx status;</li>
 *   <li>timeouts: fal's calls are bounded by the {@code fal.*} timeouts, which a global read timeout meant for
 *   short calls must not override.</li>
 * </ul>
 */
final class FalConnectors {

    private FalConnectors() {
    }

    static Function<HttpClient, ClientHttpConnector> bootSettings(FalProperties properties, HttpClientSettings boot,
                                                                  Supplier<SslBundles> sslBundles) {
        SslBundle bundle = properties.sslBundle() == null || properties.sslBundle().isBlank() ? boot.sslBundle()
                : sslBundles.get().getBundle(properties.sslBundle());
        // explicit: Boot's builder treats a null redirect policy as FOLLOW_WHEN_POSSIBLE
        HttpClientSettings settings = new HttpClientSettings(HttpRedirects.DONT_FOLLOW, null, null, bundle);
        return http -> ClientHttpConnectorBuilder.reactor().withHttpClientFactory(() -> http).build(settings);
    }
}
