package dev.falclient.internal.storage;

import java.time.Duration;
import java.time.Instant;

/**
 * A token for fal's CDN, with the moment it should be replaced: before it expires, by the smaller of one hour (as
 * fal's server SDK does) and half its lifetime.
 */
record CdnToken(String token, String tokenType, Instant refreshAt) {

    private static final Duration MAX_MARGIN = Duration.ofHours(1);

    static CdnToken of(String token, String tokenType, Instant fetchedAt, Instant expiresAt) {
        Duration lifetime = Duration.between(fetchedAt, expiresAt);
        if (lifetime.isNegative()) {
            lifetime = Duration.ZERO;
        }
        Duration margin = lifetime.dividedBy(2).compareTo(MAX_MARGIN) < 0 ? lifetime.dividedBy(2) : MAX_MARGIN;
        return new CdnToken(token, tokenType, expiresAt.minus(margin));
    }

    boolean freshAt(Instant now) {
        return now.isBefore(refreshAt);
    }

    /** The Authorization header value: {@code <token_type> <token>}. */
    String authorization() {
        return tokenType + " " + token;
    }

    @Override
    public String toString() {
        return "CdnToken[type=" + tokenType + ", refreshAt=" + refreshAt + "]";
    }
}
