package dev.falclient.emulator;

import java.time.Instant;

/**
 * A {@code fal_webhook} URL given on a queue submit, as recorded by the {@link FalEmulator}.
 *
 * <p>Usage: {@code assertThat(emu.webhooks()).extracting(WebhookRecord::url).containsExactly("https://me/hook");}
 *
 * @param requestId        the request id assigned on submit
 * @param gatewayRequestId the gateway request id (equal to {@code requestId} in the emulator)
 * @param url              the webhook URL, decoded
 * @param time             when the submit was received
 */
public record WebhookRecord(String requestId, String gatewayRequestId, String url, Instant time) {
}
