package dev.falclient.internal.storage;

import dev.falclient.internal.http.FalTransport;
import dev.falclient.internal.http.HttpCall;
import dev.falclient.internal.json.FalJson;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.http.HttpMethod;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The CDN token, fetched from {@code {restUrl}/storage/auth/token?storage_type=fal-cdn-v3} (the only storage call
 * that carries the fal key), cached, and replaced before it expires. Concurrent callers share one fetch: N uploads
 * starting together make one token request. A failed fetch is not cached.
 */
final class CdnTokens {

    /** When fal gives no (readable) expiry: keep the token this long. */
    private static final Duration UNKNOWN_LIFETIME = Duration.ofMinutes(10);
    private static final Duration FOREVER = Duration.ofMillis(Long.MAX_VALUE);

    private final FalTransport transport;
    private final URI tokenUri;
    private final Clock clock;
    private final AtomicReference<Slot> slot = new AtomicReference<>();

    /** One fetch, shared by everyone who asks while it runs and afterwards, until the token is due. */
    private static final class Slot {
        private Mono<CdnToken> token;
        private volatile CdnToken value;
    }

    CdnTokens(FalTransport transport, String restUrl, Clock clock) {
        this.transport = transport;
        this.tokenUri = URI.create(restUrl + "/storage/auth/token?storage_type=fal-cdn-v3");
        this.clock = clock;
    }

    Mono<CdnToken> get() {
        return Mono.defer(() -> {
            Slot current = slot.get();
            if (current == null || current.value != null && !current.value.freshAt(clock.instant())) {
                current = replace(current);
            }
            return current.token;
        });
    }

    /** Forgets {@code token} (the CDN refused it): the next {@link #get()} fetches a new one. */
    void invalidate(CdnToken token) {
        Slot current = slot.get();
        if (current != null && current.value == token) {
            slot.compareAndSet(current, null);
        }
    }

    private Slot replace(Slot stale) {
        Slot next = new Slot();
        next.token = fetch().doOnNext(t -> next.value = t)
                .cache(t -> FOREVER, e -> Duration.ZERO, () -> Duration.ZERO);
        if (slot.compareAndSet(stale, next)) {
            return next;
        }
        Slot winner = slot.get();
        return winner != null ? winner : next;
    }

    private Mono<CdnToken> fetch() {
        HttpCall call = HttpCall.storage(HttpMethod.POST, tokenUri, "{}".getBytes(StandardCharsets.UTF_8), Map.of());
        return transport.json(call).map(reply -> parse(reply, call));
    }

    private CdnToken parse(JsonNode reply, HttpCall call) {
        String token = FalJson.text(reply, "token");
        if (token == null || token.isBlank()) {
            throw new IllegalStateException("fal's CDN token reply has no token");
        }
        String type = FalJson.text(reply, "token_type");
        Instant now = clock.instant();
        return CdnToken.of(token, type == null || type.isBlank() ? "Bearer" : type, now,
                expiry(FalJson.text(reply, "expires_at"), now));
    }

    private static Instant expiry(String text, Instant now) {
        if (text != null) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException notOffset) {
                try {
                    // Python's isoformat() of a naive UTC datetime
                    return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException unreadable) {
                    // fall through
                }
            }
        }
        return now.plus(UNKNOWN_LIFETIME.multipliedBy(2));
    }
}
