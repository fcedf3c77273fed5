package dev.falclient.emulator;

import java.time.Instant;

/**
 * One POST of a webhook delivery by the {@link FalEmulator}, as answered by the receiver.
 *
 * <p>Usage: {@code await().until(() -> emu.webhookAttempts().stream().anyMatch(a -> a.status() == 200));}
 *
 * @param requestId the request the delivery reports
 * @param url       where it was sent
 * @param attempt   1 for the first try of a delivery, 2 for its first retry, ...
 * @param status    the HTTP status the receiver answered, or 0 when it did not answer
 * @param time      when the answer (or the failure) arrived
 */
public record WebhookAttempt(String requestId, String url, int attempt, int status, Instant time) {

    /** Whether the receiver accepted the delivery (2xx). */
    public boolean accepted() {
        return status >= 200 && status < 300;
    }
}
