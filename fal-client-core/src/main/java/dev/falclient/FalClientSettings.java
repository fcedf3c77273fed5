package dev.falclient;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The immutable result of a {@link FalClientBuilder}. Holds a credential source, never a key. */
record FalClientSettings(
        FalCredentials credentials,
        String queueUrl, String runUrl, String restUrl, String cdnUrl,
        WebClient.Builder webClientBuilder, UnaryOperator<HttpClient> httpClientCustomizer,
        Function<HttpClient, ClientHttpConnector> connectorFactory,
        JsonMapper mapper, List<FalRequestListener> listeners, Executor listenerExecutor,
        StatusMode statusMode, Duration pollInterval, Duration streamIdleTimeout,
        Duration connectTimeout, Duration responseTimeout, Duration waitTimeout, int maxInMemorySize,
        int maxAttempts, Duration initialBackoff, Duration maxBackoff, double jitter, Duration maxRetryAfter,
        boolean retryAmbiguousSubmits,
        int maxConnections, int pendingAcquireMaxCount, Duration pendingAcquireTimeout,
        boolean trackSubmitted, boolean trackWithLogs, int maxTrackedRequests, int maxObservedRequests,
        Priority defaultPriority, Map<String, String> defaultHeaders, int maxStatusStreams) {

    static JsonMapper defaultMapper() {
        return JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    }
}
