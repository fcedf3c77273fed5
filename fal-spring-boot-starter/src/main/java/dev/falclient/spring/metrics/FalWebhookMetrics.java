package dev.falclient.spring.metrics;

import dev.falclient.spring.webhook.FalWebhookObserver;
import dev.falclient.webhook.FalWebhook;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Objects;

/**
 * Counts what the webhook receiver did, with low-cardinality tags only (never a request id):
 *
 * <ul>
 *   <li>{@value #RECEIVED}: verified deliveries, tag {@code status} ({@code ok}, {@code error});</li>
 *   <li>{@value #DUPLICATES}: verified deliveries of a request handled before (answered, not published);</li>
 *   <li>{@value #REJECTED}: refused deliveries, tag {@code reason} (the lower-case verification reason, e.g.
 *   {@code bad_signature}, {@code stale_timestamp}, or {@code body_too_large}).</li>
 * </ul>
 */
public class FalWebhookMetrics implements FalWebhookObserver {

    /** Counter of verified deliveries. */
    public static final String RECEIVED = "fal.webhooks.received";
    /** Counter of duplicate deliveries. */
    public static final String DUPLICATES = "fal.webhooks.duplicates";
    /** Counter of refused deliveries, by reason. */
    public static final String REJECTED = "fal.webhooks.rejected";

    private final MeterRegistry registry;

    public FalWebhookMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void received(FalWebhook webhook) {
        Counter.builder(RECEIVED).description("Verified fal webhook deliveries")
                .tag("status", webhook.status().name().toLowerCase(Locale.ROOT)).register(registry).increment();
    }

    @Override
    public void duplicate(FalWebhook webhook) {
        Counter.builder(DUPLICATES).description("fal webhook deliveries of a request handled before")
                .register(registry).increment();
    }

    @Override
    public void rejected(String reason) {
        Counter.builder(REJECTED).description("Refused fal webhook deliveries")
                .tag("reason", reason.toLowerCase(Locale.ROOT)).register(registry).increment();
    }
}
