package dev.falclient.spring.autoconfigure;

import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.HttpRedirects;
import org.springframework.boot.http.client.ReactorHttpClientBuilder;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.http.client.reactive.ClientHttpConnector;
import reactor.netty.http.client.HttpClient;

/**
 * Spring Boot's SSL bundle ({@code fal.ssl-bundle}, else {@code spring.http.clients.ssl.bundle}) for every
 * connection to fal: the client's pooled calls (through Boot's connector builder), its realtime sockets and the
 * proxy (through Boot's Reactor Netty client builder). Two of Boot's settings are deliberately not taken:
 * <ul>
 *   <li>redirects ({@code spring.http.clients.redirects}): fal calls never follow a redirect, as in the core client.
 *   A followed 307 would re-send the prompt and the key to another host and trust its answer, bypassing the rule
 *   that only URLs below the queue URL are called. A redirect fails the call with a {@code FalHttpException}
 *   carrying its 3xx status;</li>
 *   <li>timeouts: fal's calls are bounded by the {@code fal.*} timeouts, which a global read timeout meant for
 *   short calls must not override.</li>
 * </ul>
 * Used by the starter's auto-configurations; not meant for applications.
 */
public final class FalConnectors {

    private final HttpClientSettings settings;

    private FalConnectors(HttpClientSettings settings) {
        this.settings = settings;
    }

    /** The settings for fal's connections, from the properties and Boot's HTTP client settings. */
    public static FalConnectors of(FalProperties properties, HttpClientSettings boot, Supplier<SslBundles> sslBundles) {
        SslBundle bundle = properties.sslBundle() == null || properties.sslBundle().isBlank() ? boot.sslBundle()
                : sslBundles.get().getBundle(properties.sslBundle());
        // explicit: Boot's builders treat a null redirect policy as FOLLOW_WHEN_POSSIBLE
        return new FalConnectors(new HttpClientSettings(HttpRedirects.DONT_FOLLOW, null, null, bundle));
    }

    /** The WebClient connector over a pooled client of fal's. */
    public Function<HttpClient, ClientHttpConnector> connector() {
        return http -> ClientHttpConnectorBuilder.reactor().withHttpClientFactory(() -> http).build(settings);
    }

    /** The same settings applied to a Reactor Netty client (realtime sockets, the proxy). */
    public UnaryOperator<HttpClient> httpClient() {
        return http -> new ReactorHttpClientBuilder().withHttpClientFactory(() -> http).build(settings);
    }
}
