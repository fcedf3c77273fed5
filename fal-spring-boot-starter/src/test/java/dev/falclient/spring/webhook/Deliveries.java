package dev.falclient.spring.webhook;

import dev.falclient.emulator.FalEmulator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Webhook bodies as fal sends them, signed by an emulator's key (its JWKS is the receiver's key source). */
final class Deliveries {

    private Deliveries() {
    }

    static byte[] ok(String requestId) {
        return ("{\"request_id\":\"" + requestId + "\",\"gateway_request_id\":\"g1\",\"status\":\"OK\","
                + "\"payload\":{\"images\":[{\"url\":\"https://v3.fal.media/files/x.png\"}]}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    static byte[] error(String requestId) {
        return ("{\"request_id\":\"" + requestId + "\",\"gateway_request_id\":\"g1\",\"status\":\"ERROR\","
                + "\"error\":\"Invalid status code: 422\",\"payload\":{\"detail\":[{\"loc\":[\"body\",\"prompt\"],"
                + "\"msg\":\"field required\",\"type\":\"missing\"}]}}").getBytes(StandardCharsets.UTF_8);
    }

    static Map<String, String> signed(FalEmulator emu, String requestId, byte[] body) {
        return emu.webhookSender().sign(requestId, body);
    }

    static Map<String, String> signedAgo(FalEmulator emu, String requestId, byte[] body, Duration ago) {
        return emu.webhookSender().sign(requestId, body, Instant.now().minus(ago));
    }

    /** The receiver's properties, pointing its key source at the emulator. */
    static String[] properties(FalEmulator emu) {
        return new String[] { "fal.key=webhook-test-key", "fal.queue-url=" + emu.queueUrl(),
                "fal.webhook.enabled=true", "fal.webhook.jwks-url=" + emu.jwksUrl() };
    }
}
