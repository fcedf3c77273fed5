package dev.falclient.spring.autoconfigure.proxy;

import dev.falclient.spring.autoconfigure.FalAutoConfiguration;
import dev.falclient.spring.autoconfigure.FalConnectionDetails;
import dev.falclient.spring.autoconfigure.FalConnectors;
import dev.falclient.spring.autoconfigure.FalProperties;
import dev.falclient.spring.proxy.FalProxyAccessPolicy;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The fal proxy for browser clients, on with {@code fal.proxy.enabled=true}: fal's JS client configured with
 * {@code proxyUrl} sends each call to {@code fal.proxy.path} (GET, POST, PUT) naming the fal URL in
 * {@code X-Fal-Target-Url}; the route checks it against fal's hosts, {@code fal.proxy.allowed-endpoints} and every
 * {@link FalProxyAccessPolicy} bean, then sends it to the configured base URL of that host ({@code fal.queue-url},
 * {@code fal.run-url}, {@code fal.rest-url}, {@code fal.cdn-url}) with the application's key (the client's
 * {@code fal.key} chain) and streams fal's answer back. A WebFlux {@code RouterFunction} in a reactive application,
 * a Spring MVC one in a servlet application. Every bean backs off when the application defines its own.
 *
 * <pre>{@code
 * fal.proxy.enabled=true
 * fal.proxy.allowed-endpoints=fal-ai/flux/*
 * }</pre>
 */
@AutoConfiguration(after = FalAutoConfiguration.class)
@ConditionalOnClass(WebClient.class)
@ConditionalOnWebApplication
@ConditionalOnBooleanProperty(name = "fal.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty("fal.proxy.enabled")
@EnableConfigurationProperties({ FalProperties.class, FalProxyProperties.class })
public final class FalProxyAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ProxyForwarder falProxyForwarder(FalProperties properties, FalConnectionDetails connectionDetails,
                                     ObjectProvider<WebClient.Builder> webClient,
                                     ObjectProvider<HttpClientSettings> httpClientSettings,
                                     ObjectProvider<SslBundles> sslBundles) {
        // the same key, hosts and TLS trust as the client, so a test's emulator (or any custom details) serves the
        // proxy too, and a gateway with a private CA is reached the same way
        FalConnectors connectors = FalConnectors.of(properties,
                httpClientSettings.getIfAvailable(HttpClientSettings::defaults), sslBundles::getObject);
        return new ProxyForwarder(connectionDetails.getCredentials(), properties.http(),
                properties.pool().settings(), webClient.getIfAvailable(WebClient::builder).clone(),
                connectors.httpClient());
    }

    @Bean
    @ConditionalOnMissingBean
    ProxyTargets falProxyTargets(FalConnectionDetails connectionDetails, FalProxyProperties proxy,
                                 ObjectProvider<FalProxyAccessPolicy> policies) {
        return new ProxyTargets(connectionDetails.getUrls(), new EndpointAllowList(proxy.allowedEndpoints()),
                policies.orderedStream().toList());
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    static final class Reactive {

        @Bean
        @ConditionalOnMissingBean(name = "falProxyRoute")
        org.springframework.web.reactive.function.server.RouterFunction<
                org.springframework.web.reactive.function.server.ServerResponse> falProxyRoute(
                FalProperties properties, FalProxyProperties proxy, ProxyTargets targets, ProxyForwarder forwarder) {
            return ReactiveProxyRoute.route(proxy.path(), targets, forwarder, properties.http().maxInMemorySize());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = "org.springframework.web.servlet.function.RouterFunction")
    static final class Servlet {

        @Bean
        @ConditionalOnMissingBean(name = "falProxyRoute")
        org.springframework.web.servlet.function.RouterFunction<
                org.springframework.web.servlet.function.ServerResponse> falProxyRoute(
                FalProperties properties, FalProxyProperties proxy, ProxyTargets targets, ProxyForwarder forwarder) {
            return ServletProxyRoute.route(proxy.path(), targets, forwarder, properties.http().maxInMemorySize());
        }
    }
}
