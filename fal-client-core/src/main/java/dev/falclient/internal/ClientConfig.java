package dev.falclient.internal;

import dev.falclient.FalCredentials;
import dev.falclient.FalRequestListener;
import dev.falclient.Priority;
import dev.falclient.observation.FalRequestObservationConvention;
import dev.falclient.settings.HttpSettings;
import dev.falclient.settings.PoolSettings;
import dev.falclient.settings.RetrySettings;
import dev.falclient.settings.StorageSettings;
import dev.falclient.settings.TrackingSettings;
import dev.falclient.settings.UrlSettings;
import dev.falclient.settings.WaitSettings;
import io.micrometer.observation.ObservationRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Everything a client is built from: the builder's result. Holds a credential source, never a key.
 *
 * @param defaultPriority may be {@code null}: no priority header unless a call sets one
 * @param defaultWebhookUrl may be {@code null}: submits name no webhook unless the call sets one
 * @param observationRegistry {@code ObservationRegistry.NOOP}: no {@code fal.request} observations
 * @param observationConvention may be {@code null}: the default convention
 */
public record ClientConfig(
        FalCredentials credentials, UrlSettings urls, HttpSettings http, RetrySettings retry, PoolSettings pool,
        WaitSettings waiting, TrackingSettings tracking, StorageSettings storage,
        WebClient.Builder webClientBuilder, UnaryOperator<HttpClient> httpClientCustomizer,
        Function<HttpClient, ClientHttpConnector> connectorFactory,
        JsonMapper mapper, List<FalRequestListener> listeners, Executor listenerExecutor,
        Priority defaultPriority, Map<String, String> defaultHeaders, ApiFactory api,
        String defaultWebhookUrl, ObservationRegistry observationRegistry,
        @Nullable FalRequestObservationConvention observationConvention) {
}
