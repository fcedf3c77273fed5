package dev.falclient.webhook;

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

/** An Ed25519 key pair that signs deliveries as fal does, for tests; the JWKS entry of its public key. */
final class TestKey {

    private final KeyPair pair;

    TestKey() {
        try {
            pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The raw 32-byte key: the end of its X.509 encoding. */
    byte[] raw() {
        byte[] spki = pair.getPublic().getEncoded();
        return Arrays.copyOfRange(spki, spki.length - 32, spki.length);
    }

    /** {@code {"kty":"OKP","crv":"Ed25519","x":"..."}}, unpadded. */
    String jwk() {
        return "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(raw()) + "\"}";
    }

    static String jwks(TestKey... keys) {
        return "{\"keys\":[" + String.join(",", Arrays.stream(keys).map(TestKey::jwk).toList()) + "]}";
    }

    /** The four headers of a delivery of {@code body} signed by this key at {@code epochSeconds}. */
    Map<String, String> headers(String requestId, long epochSeconds, byte[] body) {
        String timestamp = Long.toString(epochSeconds);
        try {
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(pair.getPrivate());
            signer.update(String.join("\n", requestId, "user-1", timestamp, hash).getBytes(StandardCharsets.UTF_8));
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("X-Fal-Webhook-Request-Id", requestId);
            headers.put("X-Fal-Webhook-User-Id", "user-1");
            headers.put("X-Fal-Webhook-Timestamp", timestamp);
            headers.put("X-Fal-Webhook-Signature", HexFormat.of().formatHex(signer.sign()));
            return headers;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] okBody(String requestId) {
        return ("{\"request_id\":\"" + requestId + "\",\"gateway_request_id\":\"g-" + requestId
                + "\",\"status\":\"OK\",\"payload\":{\"images\":[{\"url\":\"https://v3.fal.media/files/a.png\"}]}}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
