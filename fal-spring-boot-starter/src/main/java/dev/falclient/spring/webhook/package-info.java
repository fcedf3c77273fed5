/**
 * The starter's webhook receiver: {@link dev.falclient.spring.webhook.FalWebhookReceiver} verifies fal's
 * deliveries and publishes them as application events; {@link dev.falclient.spring.webhook.FalWebhookObserver}
 * is told about each one.
 */
@NullMarked
package dev.falclient.spring.webhook;

import org.jspecify.annotations.NullMarked;
