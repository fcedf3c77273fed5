package dev.falclient.spring.webhook;

import dev.falclient.webhook.FalWebhook;

/**
 * Told what the webhook receiver did with each delivery; the starter's Micrometer meters
 * ({@link dev.falclient.spring.metrics.FalWebhookMetrics}) implement it. Calls must be fast and must not throw.
 *
 * <pre>{@code
 * @Bean
 * FalWebhookObserver auditWebhooks() {
 *     return new FalWebhookObserver() {
 *         public void rejected(String reason) { audit.warn("fal webhook refused: " + reason); }
 *     };
 * }
 * }</pre>
 */
public interface FalWebhookObserver {

    /** Does nothing. */
    FalWebhookObserver NONE = new FalWebhookObserver() {
    };

    /** A delivery passed verification (duplicates included). */
    default void received(FalWebhook webhook) {
    }

    /** A verified delivery repeated one already handled; it was answered 2xx and published nothing. */
    default void duplicate(FalWebhook webhook) {
    }

    /**
     * A delivery was refused. {@code reason} is a
     * {@link dev.falclient.webhook.FalWebhookVerificationException.Reason} name, or {@value FalWebhookReceiver#BODY_TOO_LARGE}.
     */
    default void rejected(String reason) {
    }
}
