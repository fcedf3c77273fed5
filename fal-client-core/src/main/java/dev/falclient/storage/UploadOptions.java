package dev.falclient.storage;

import dev.falclient.settings.StorageSettings;
import java.util.Objects;
import java.util.Optional;

/**
 * The lifetime and access rules of an uploaded file. Unset values take the client's defaults
 * ({@code StorageSettings.defaultExpiresIn}, public access).
 *
 * <pre>{@code
 * fal.storage().upload(file, UploadOptions.DEFAULTS.withExpiresIn("1d").withInitialAcl(InitialAcl.of(AclDecision.HIDE)));
 * }</pre>
 */
public final class UploadOptions {

    /** The client's defaults. */
    public static final UploadOptions DEFAULTS = new UploadOptions(null, null);

    private final String expiresIn;
    private final InitialAcl initialAcl;

    private UploadOptions(String expiresIn, InitialAcl initialAcl) {
        this.expiresIn = expiresIn;
        this.initialAcl = initialAcl;
    }

    /**
     * How long fal keeps the file: {@code never} (no expiration is sent: the account's storage settings apply),
     * {@code immediate} (60 s), {@code 1h}, {@code 1d}, {@code 7d}, {@code 30d}, {@code 1y}, or a number of seconds.
     *
     * @throws IllegalArgumentException for any other text
     */
    public UploadOptions withExpiresIn(String expiresIn) {
        StorageSettings.expirationSeconds(expiresIn);
        return new UploadOptions(expiresIn.trim(), initialAcl);
    }

    /** Who may read the file (default: anyone with the URL). */
    public UploadOptions withInitialAcl(InitialAcl initialAcl) {
        return new UploadOptions(expiresIn, Objects.requireNonNull(initialAcl, "initialAcl"));
    }

    /** The lifetime set here, if any. */
    public Optional<String> expiresIn() {
        return Optional.ofNullable(expiresIn);
    }

    /** The access rules set here, if any. */
    public Optional<InitialAcl> initialAcl() {
        return Optional.ofNullable(initialAcl);
    }

    @Override
    public String toString() {
        return "UploadOptions[expiresIn=" + expiresIn + ", initialAcl=" + initialAcl + "]";
    }
}
