package dev.falclient.settings;

import java.time.Duration;

/**
 * How fal's webhook deliveries are verified and received: where fal's signing keys are published (a JWKS), how far a
 * delivery's timestamp may be from now, how often unknown signatures may cause a refetch of the keys, how long
 * fetched keys are trusted, and the largest delivery body a receiver reads.
 *
 * <pre>{@code FalWebhookVerifier.builder().settings(WebhookSettings.DEFAULTS.withTolerance(Duration.ofMinutes(2))).build();}</pre>
 *
 * @param jwksUrl             URL of fal's JSON Web Key Set with the Ed25519 keys that sign deliveries
 * @param tolerance           largest difference between a delivery's timestamp and now (replay window)
 * @param jwksRefetchInterval least time between two JWKS fetches caused by signatures no cached key verifies
 * @param jwksCacheTtl        how long fetched keys are used before they are fetched again
 * @param maxBodySize         largest delivery body a receiver reads, in bytes; a larger one is refused (HTTP 413)
 */
public record WebhookSettings(String jwksUrl, Duration tolerance, Duration jwksRefetchInterval,
                              Duration jwksCacheTtl, int maxBodySize) {

    public static final String DEFAULT_JWKS_URL = "https://rest.fal.ai/.well-known/jwks.json";
    public static final String DEFAULT_TOLERANCE = "5m";
    public static final String DEFAULT_JWKS_REFETCH_INTERVAL = "1m";
    public static final String DEFAULT_JWKS_CACHE_TTL = "24h";
    public static final String DEFAULT_MAX_BODY_SIZE = "1MB";

    /** fal's defaults. */
    public static final WebhookSettings DEFAULTS = new WebhookSettings(DEFAULT_JWKS_URL,
            DefaultText.duration(DEFAULT_TOLERANCE), DefaultText.duration(DEFAULT_JWKS_REFETCH_INTERVAL),
            DefaultText.duration(DEFAULT_JWKS_CACHE_TTL), DefaultText.bytes(DEFAULT_MAX_BODY_SIZE));

    /** Validates every value. */
    public WebhookSettings {
        jwksUrl = Check.baseUrl("jwksUrl", jwksUrl);
        Check.positive("tolerance", tolerance);
        Check.positive("jwksRefetchInterval", jwksRefetchInterval);
        Check.positive("jwksCacheTtl", jwksCacheTtl);
        Check.positive("maxBodySize", maxBodySize);
    }

    public WebhookSettings withJwksUrl(String jwksUrl) {
        return new WebhookSettings(jwksUrl, tolerance, jwksRefetchInterval, jwksCacheTtl, maxBodySize);
    }

    public WebhookSettings withTolerance(Duration tolerance) {
        return new WebhookSettings(jwksUrl, tolerance, jwksRefetchInterval, jwksCacheTtl, maxBodySize);
    }

    public WebhookSettings withJwksRefetchInterval(Duration jwksRefetchInterval) {
        return new WebhookSettings(jwksUrl, tolerance, jwksRefetchInterval, jwksCacheTtl, maxBodySize);
    }

    public WebhookSettings withJwksCacheTtl(Duration jwksCacheTtl) {
        return new WebhookSettings(jwksUrl, tolerance, jwksRefetchInterval, jwksCacheTtl, maxBodySize);
    }

    public WebhookSettings withMaxBodySize(int maxBodySize) {
        return new WebhookSettings(jwksUrl, tolerance, jwksRefetchInterval, jwksCacheTtl, maxBodySize);
    }
}
