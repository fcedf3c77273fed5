package dev.falclient.emulator;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The realtime tokens issued (fal-protocol.md section 2.3), oldest first, bounded: past the bound the oldest are
 * forgotten (and then answered as unknown). Expired ones are kept, so that they are answered as expired. A token is
 * JWT-shaped ({@code header.payload.signature}, URL-safe base64) so that it looks like fal's, but only this store
 * gives it meaning: the signature is random.
 */
final class Tokens {

    /** What a token admits to a session of an app. */
    sealed interface Verdict permits Verdict.Valid, Verdict.Refused {
        record Valid(IssuedToken token) implements Verdict {
        }

        record Refused(int status, String detail) implements Verdict {
        }
    }

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final String HEADER = B64.encodeToString(
            "{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

    private final SecureRandom random = new SecureRandom();
    private final int max;
    private final Map<String, IssuedToken> issued = new LinkedHashMap<>();

    Tokens(int max) {
        this.max = max;
    }

    IssuedToken issue(List<String> apps, Duration lifetime, Instant now) {
        Instant expires = now.plus(lifetime);
        String payload = Replies.NODES.objectNode().put("sub", "fal-emulator")
                .put("jti", UUID.randomUUID().toString()).put("exp", expires.getEpochSecond())
                .set("allowed_apps", Replies.NODES.arrayNode().addAll(apps.stream()
                        .map(Replies.NODES::stringNode).toList())).toString();
        byte[] signature = new byte[32];
        random.nextBytes(signature);
        String token = HEADER + "." + B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(signature);
        IssuedToken t = new IssuedToken(token, apps, now, expires);
        synchronized (issued) {
            issued.put(token, t);
            while (issued.size() > max) {
                issued.remove(issued.keySet().iterator().next());
            }
        }
        return t;
    }

    /** What fal's gateway answers to a realtime connect of {@code alias} with {@code token}. */
    Verdict check(String token, String alias, Instant now) {
        IssuedToken t;
        synchronized (issued) {
            t = issued.get(token);
        }
        if (t == null) {
            return new Verdict.Refused(401, "Invalid token");
        }
        if (!t.validAt(now)) {
            return new Verdict.Refused(401, "Token expired");
        }
        if (!t.allowedApps().contains(alias)) {
            return new Verdict.Refused(403, "Token not allowed for app '" + alias + "'");
        }
        return new Verdict.Valid(t);
    }

    List<IssuedToken> all() {
        synchronized (issued) {
            return List.copyOf(issued.values());
        }
    }

    void clear() {
        synchronized (issued) {
            issued.clear();
        }
    }
}
