package dev.falclient.internal.webhook;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** fal's signing keys, read from a JWKS, and Ed25519 signature checks with the JDK's provider. */
public final class Ed25519Keys {

    private Ed25519Keys() {
    }

    /**
     * The Ed25519 keys of a JWKS ({@code {"keys": [{"kty": "OKP", "crv": "Ed25519", "x": "..."}]}}). Keys of other
     * types and unreadable keys are skipped; {@code x} is base64url, with or without padding.
     */
    public static List<PublicKey> fromJwks(JsonNode jwks) {
        List<PublicKey> keys = new ArrayList<>();
        for (JsonNode jwk : jwks.path("keys")) {
            if (!"OKP".equals(jwk.path("kty").asString("")) || !"Ed25519".equals(jwk.path("crv").asString(""))) {
                continue;
            }
            try {
                keys.add(publicKey(decodeBase64Url(jwk.path("x").asString(""))));
            } catch (IllegalArgumentException | GeneralSecurityException e) {
                // one unreadable key must not hide the others
            }
        }
        return List.copyOf(keys);
    }

    /** base64url with or without {@code =} padding, also accepting the standard alphabet. */
    static byte[] decodeBase64Url(String text) {
        String unpadded = text.trim().replace('+', '-').replace('/', '_').replace("=", "");
        return Base64.getUrlDecoder().decode(unpadded);
    }

    /** The public key of the raw 32-byte encoding (RFC 8032: little-endian y, the top bit is x's parity). */
    static PublicKey publicKey(byte[] raw) throws GeneralSecurityException {
        if (raw.length != 32) {
            throw new IllegalArgumentException("an Ed25519 key has 32 bytes, this one " + raw.length);
        }
        byte[] bigEndian = new byte[32];
        for (int i = 0; i < 32; i++) {
            bigEndian[i] = raw[31 - i];
        }
        boolean xOdd = (bigEndian[0] & 0x80) != 0;
        bigEndian[0] &= 0x7f;
        EdECPoint point = new EdECPoint(xOdd, new BigInteger(1, bigEndian));
        return KeyFactory.getInstance("Ed25519").generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519, point));
    }

    /** Whether any of {@code keys} verifies {@code signature} over {@code message}. */
    public static boolean verifiesAny(List<PublicKey> keys, byte[] message, byte[] signature) {
        for (PublicKey key : keys) {
            try {
                Signature verifier = Signature.getInstance("Ed25519");
                verifier.initVerify(key);
                verifier.update(message);
                if (verifier.verify(signature)) {
                    return true;
                }
            } catch (GeneralSecurityException e) {
                // a key that cannot check this signature does not verify it
            }
        }
        return false;
    }
}
