package dev.falclient.emulator;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * The emulator's webhook signing key (Ed25519, made at start) and fal's signature scheme: request id, user id,
 * timestamp and the hex SHA-256 of the body, joined by newlines. Its public key is served as a JWKS.
 */
final class WebhookSigner {

    static final String USER_ID = "emulator-user";

    private volatile KeyPair key = newKey();

    /** Replaces the key; the JWKS then publishes only the new one. */
    void rotate() {
        key = newKey();
    }

    /** {@code {"keys": [{"kty": "OKP", "crv": "Ed25519", "x": "<base64url>", "kid": "..."}]}}, padded as fal's. */
    ObjectNode jwks() {
        byte[] spki = key.getPublic().getEncoded();
        byte[] raw = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
        ObjectNode jwks = Replies.NODES.objectNode();
        jwks.putArray("keys").addObject().put("kty", "OKP").put("crv", "Ed25519")
                .put("x", Base64.getUrlEncoder().encodeToString(raw))
                .put("kid", "fal-emulator-" + Integer.toHexString(Arrays.hashCode(raw)));
        return jwks;
    }

    /** The four {@code X-Fal-Webhook-*} headers of {@code body}, signed at {@code epochSeconds}. */
    Map<String, String> headers(String requestId, long epochSeconds, byte[] body) {
        String timestamp = Long.toString(epochSeconds);
        try {
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(key.getPrivate());
            signer.update((requestId + "\n" + USER_ID + "\n" + timestamp + "\n" + hash)
                    .getBytes(StandardCharsets.UTF_8));
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("X-Fal-Webhook-Request-Id", requestId);
            headers.put("X-Fal-Webhook-User-Id", USER_ID);
            headers.put("X-Fal-Webhook-Timestamp", timestamp);
            headers.put("X-Fal-Webhook-Signature", HexFormat.of().formatHex(signer.sign()));
            return headers;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is part of every JDK 15+", e);
        }
    }

    private static KeyPair newKey() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is part of every JDK 15+", e);
        }
    }
}
