package dev.falclient.storage;

import java.util.Locale;

/**
 * What fal's CDN does with a request for an uploaded file.
 *
 * <pre>{@code InitialAcl.of(AclDecision.FORBID).withRule("user-123", AclDecision.ALLOW)}</pre>
 */
public enum AclDecision {
    /** Serve the file. */
    ALLOW,
    /** Answer as if the file did not exist. */
    HIDE,
    /** Refuse access. */
    FORBID;

    /** The value fal expects, e.g. {@code allow}. */
    public String wireValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
