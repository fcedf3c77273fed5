package dev.falclient.internal.webhook;

import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * fal's signing keys, fetched on first use, kept for at most the cache TTL, and fetched again early (key rotation)
 * at most once per refetch interval, so that a flood of bad signatures cannot hammer fal's JWKS endpoint.
 * Concurrent callers share one fetch.
 */
public final class JwksCache {

    private final Supplier<Mono<List<PublicKey>>> fetch;
    private final Clock clock;
    private final Duration ttl;
    private final Duration refetchInterval;
    private @Nullable Cached cached;
    private @Nullable Mono<List<PublicKey>> inFlight;
    private @Nullable Instant lastRefetch;
    private @Nullable Instant lastFailure;
    private @Nullable Throwable lastError;

    private record Cached(List<PublicKey> keys, Instant fetchedAt) {
    }

    public JwksCache(Supplier<Mono<List<PublicKey>>> fetch, Clock clock, Duration ttl, Duration refetchInterval) {
        this.fetch = fetch;
        this.clock = clock;
        this.ttl = ttl;
        this.refetchInterval = refetchInterval;
    }

    /** The cached keys, fetched first when there are none or they are older than the TTL. */
    public Mono<List<PublicKey>> keys() {
        return Mono.defer(() -> {
            synchronized (this) {
                if (cached != null && clock.instant().isBefore(cached.fetchedAt().plus(ttl))) {
                    return Mono.just(cached.keys());
                }
                if (inFlight == null && lastFailure != null
                        && clock.instant().isBefore(lastFailure.plus(refetchInterval))) {
                    // fal's JWKS endpoint failed a moment ago: deliveries arriving meanwhile do not call it again.
                    // Expired keys are not used instead: fal's keys are trusted for at most the TTL.
                    return Mono.error(lastError);
                }
                return fetchShared();
            }
        });
    }

    /**
     * Fresh keys after a signature no cached key verified, or empty when the last such refetch is more recent than
     * the refetch interval (then the cached keys stand).
     */
    public Mono<List<PublicKey>> refetch() {
        return Mono.defer(() -> {
            synchronized (this) {
                Instant now = clock.instant();
                if (inFlight != null) {
                    return inFlight;
                }
                if (lastRefetch != null && now.isBefore(lastRefetch.plus(refetchInterval))) {
                    return Mono.empty();
                }
                lastRefetch = now;
                return fetchShared();
            }
        });
    }

    private Mono<List<PublicKey>> fetchShared() {
        if (inFlight == null) {
            // the fetch is done before its value reaches the callers, so that a caller's refetch is a new fetch
            inFlight = fetch.get()
                    .switchIfEmpty(Mono.error(() -> new IllegalStateException("the JWKS response has no body")))
                    .doOnNext(keys -> {
                        synchronized (this) {
                            cached = new Cached(keys, clock.instant());
                            lastFailure = null;
                            inFlight = null;
                        }
                    })
                    .doOnError(error -> {
                        synchronized (this) {
                            lastFailure = clock.instant();
                            lastError = error;
                            inFlight = null;
                        }
                    })
                    .doOnCancel(() -> {
                        synchronized (this) {
                            inFlight = null;
                        }
                    })
                    .cache();
        }
        return inFlight;
    }
}
