package dev.falclient.storage;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Who may read an uploaded file: a default decision and per-user exceptions (fal user ids).
 *
 * <pre>{@code UploadOptions.DEFAULTS.withInitialAcl(InitialAcl.of(AclDecision.HIDE).withRule("user-1", AclDecision.ALLOW))}</pre>
 *
 * @param defaultDecision what applies to everyone without a rule
 * @param rules           decisions per fal user id, in insertion order
 */
public record InitialAcl(AclDecision defaultDecision, Map<String, AclDecision> rules) {

    /** Checks and copies the values. */
    public InitialAcl {
        Objects.requireNonNull(defaultDecision, "defaultDecision");
        rules = rules == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(rules));
        rules.forEach((user, decision) -> {
            if (user == null || user.isBlank() || decision == null) {
                throw new IllegalArgumentException("an ACL rule needs a user id and a decision, was " + user + "="
                        + decision);
            }
        });
    }

    /** Everyone gets {@code decision}. */
    public static InitialAcl of(AclDecision decision) {
        return new InitialAcl(decision, Map.of());
    }

    /** A copy with a rule for one user. */
    public InitialAcl withRule(String userId, AclDecision decision) {
        Map<String, AclDecision> copy = new LinkedHashMap<>(rules);
        copy.put(userId, decision);
        return new InitialAcl(defaultDecision, copy);
    }
}
