package dev.falclient.webhook;

/**
 * How a request ended, as fal's webhook delivery says.
 *
 * <pre>{@code if (webhook.status() == FalWebhookStatus.ERROR) log.warn("{} failed: {}", webhook.requestId(), webhook.error()); }</pre>
 */
public enum FalWebhookStatus {
    /** The request succeeded; the payload is its output. */
    OK,
    /** The request failed; the payload is fal's error body and {@link FalWebhook#error()} says why. */
    ERROR
}
