/**
 * fal's webhooks: {@link dev.falclient.webhook.FalWebhookVerifier} checks a delivery's Ed25519 signature against
 * fal's JWKS and reads it as a {@link dev.falclient.webhook.FalWebhook}; a
 * {@link dev.falclient.webhook.FalWebhookDeduplicator} makes handlers idempotent.
 */
@NullMarked
package dev.falclient.webhook;

import org.jspecify.annotations.NullMarked;
