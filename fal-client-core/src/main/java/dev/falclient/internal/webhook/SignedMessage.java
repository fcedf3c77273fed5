package dev.falclient.internal.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** What fal signs: request id, user id, timestamp and the hex SHA-256 of the raw body, joined by newlines. */
public final class SignedMessage {

    private SignedMessage() {
    }

    public static byte[] of(String requestId, String userId, String timestamp, byte[] rawBody) {
        return (requestId + "\n" + userId + "\n" + timestamp + "\n" + sha256Hex(rawBody))
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Lower-case hex of the SHA-256 of {@code bytes}. */
    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
