package dev.falclient.internal.realtime;

import dev.falclient.internal.http.FalTransport;
import dev.falclient.internal.http.HttpCall;
import dev.falclient.internal.json.FalJson;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Short-lived realtime tokens from {@code POST {restUrl}/tokens/}, one per app and lifetime, shared by every
 * connection to that app: a token is reused until 90% of its life has passed, then the next connect (or the
 * background refresh of an open connection) fetches a new one. A failed fetch is not cached.
 */
final class RealtimeTokens {

    private static final Logger log = LoggerFactory.getLogger(RealtimeTokens.class);

    private record Key(String app, long seconds) {
    }

    private final FalTransport transport;
    private final FalJson json;
    private final URI tokenUri;
    private final Map<Key, Mono<String>> tokens = new ConcurrentHashMap<>();

    RealtimeTokens(FalTransport transport, FalJson json, String restUrl) {
        this.transport = transport;
        this.json = json;
        this.tokenUri = URI.create(restUrl + "/tokens/");
    }

    /** A token for {@code app} (fal's app alias), fresh for at least 10% of {@code lifetime}. */
    Mono<String> get(String app, Duration lifetime, String endpointId) {
        Key key = new Key(app, lifetime.toSeconds());
        Duration reuse = reuseFor(lifetime);
        return tokens.computeIfAbsent(key, k -> fetch(k, endpointId)
                .cache(token -> reuse, error -> Duration.ZERO, () -> Duration.ZERO));
    }

    /**
     * Keeps the app's token fresh while a connection is open, as fal-js does: a new one at 90% of the lifetime, and
     * after a failed fetch another try at 5% of it. Dispose to stop.
     */
    Disposable keepFresh(String app, Duration lifetime, String endpointId) {
        Duration retryAfter = lifetime.dividedBy(20);
        return Mono.delay(reuseFor(lifetime), transport.timer())
                .then(Mono.defer(() -> get(app, lifetime, endpointId)))
                .doOnError(e -> log.debug("fal realtime: refreshing the token of {} failed, trying again in {}",
                        endpointId, retryAfter, e))
                .retryWhen(Retry.fixedDelay(Long.MAX_VALUE, retryAfter).scheduler(transport.timer()))
                .repeat()
                .subscribe();
    }

    private static Duration reuseFor(Duration lifetime) {
        return lifetime.multipliedBy(9).dividedBy(10);
    }

    private Mono<String> fetch(Key key, String endpointId) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putArray("allowed_apps").add(key.app());
        body.put("token_expiration", key.seconds());
        HttpCall call = HttpCall.realtimeToken(tokenUri, json.write(body), endpointId);
        return transport.json(call).map(RealtimeTokens::token);
    }

    /** fal answers a bare JSON string; older proxies {@code {"detail": ...}}, the Python client reads {@code token}. */
    private static String token(JsonNode reply) {
        String token = reply.isString() ? reply.stringValue()
                : FalJson.text(reply, "token") != null ? FalJson.text(reply, "token") : FalJson.text(reply, "detail");
        if (token == null || token.isBlank()) {
            throw new IllegalStateException("fal's realtime token reply has no token (expected a JSON string)");
        }
        return token;
    }
}
