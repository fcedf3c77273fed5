package dev.falclient.spring.health;

import dev.falclient.AsyncFalClient;
import dev.falclient.FalClientStats;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the fal client, from its call statistics only: it never calls fal (no paid endpoint, no quota).
 * <ul>
 *   <li>{@code UP}: a key resolves and the latest call outcome is not a 401/403;</li>
 *   <li>{@code DOWN} with a {@code reason}: no key is configured (the reason says why when it is known, e.g. an
 *   unresolved {@code ${FAL_KEY}} placeholder), or fal rejected the key on the latest call.</li>
 * </ul>
 * Details: {@code credentialSource}, {@code key} (masked), {@code queueUrl}, {@code lastSuccess},
 * {@code lastFailure}, {@code lastErrorType}, {@code inFlight}. The key itself is never shown.
 *
 * <pre>{@code
 * @Bean
 * FalHealthIndicator falHealthIndicator(AsyncFalClient fal) { return new FalHealthIndicator(fal); }
 * }</pre>
 */
public class FalHealthIndicator extends AbstractHealthIndicator {

    /** The reason reported when no key resolves. */
    public static final String NO_KEY_REASON = "No fal key: set fal.key or FAL_KEY";

    private final AsyncFalClient client;
    private final String noKeyReason;

    /** Reports the health of {@code client}. */
    public FalHealthIndicator(AsyncFalClient client) {
        this(client, null);
    }

    /**
     * Reports the health of {@code client}; when no key resolves, the reason is {@code "No fal key: "} followed by
     * {@code whyNoKey} (e.g. that {@code fal.key} is an unresolved placeholder), or {@link #NO_KEY_REASON} when
     * {@code whyNoKey} is {@code null}.
     */
    public FalHealthIndicator(AsyncFalClient client, @Nullable String whyNoKey) {
        super("fal health check failed");
        this.client = Objects.requireNonNull(client, "client");
        this.noKeyReason = whyNoKey == null || whyNoKey.isBlank() ? NO_KEY_REASON : "No fal key: " + whyNoKey;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        FalClientStats stats = client.stats();
        if (stats.credentialSource().isEmpty()) {
            builder.down().withDetail("reason", noKeyReason);
        } else if (stats.lastCallRejectedCredentials()) {
            builder.down().withDetail("reason", "fal rejected the key on the latest call (HTTP "
                    + stats.lastFailureStatus().orElse(0) + ")");
        } else {
            builder.up();
        }
        stats.credentialSource().ifPresent(source -> builder.withDetail("credentialSource", source));
        stats.maskedKey().ifPresent(key -> builder.withDetail("key", key));
        builder.withDetail("queueUrl", stats.queueUrl());
        stats.lastSuccess().ifPresent(at -> builder.withDetail("lastSuccess", at.toString()));
        stats.lastFailure().ifPresent(at -> builder.withDetail("lastFailure", at.toString()));
        stats.lastErrorType().ifPresent(type -> builder.withDetail("lastErrorType", type));
        builder.withDetail("inFlight", stats.inFlight());
    }
}
