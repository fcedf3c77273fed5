package dev.falclient.sample;

import java.util.Locale;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The outcome of {@code sample.fal.mode}: what was configured, what is in effect, and where the key comes from.
 * Computed from the {@link Environment} alone, so that conditions (which run before any bean exists) and beans agree.
 *
 * @param configured the configured mode (may be {@link FalMode#AUTO})
 * @param effective  {@link FalMode#EMULATOR} or {@link FalMode#LIVE}
 * @param keySource  where a fal key is configured ({@code FAL_KEY}, {@code fal.key}, ...), or {@code null}
 */
public record FalModeResolution(FalMode configured, FalMode effective, String keySource) {

    /** The property that selects the mode. */
    public static final String PROPERTY = "sample.fal.mode";

    /** Resolves the mode from the environment. */
    public static FalModeResolution resolve(Environment environment) {
        FalMode configured = Binder.get(environment).bind(PROPERTY, FalMode.class).orElse(FalMode.AUTO);
        String keySource = keySource(environment);
        FalMode effective = configured == FalMode.AUTO
                ? (keySource != null ? FalMode.LIVE : FalMode.EMULATOR)
                : configured;
        return new FalModeResolution(configured, effective, keySource);
    }

    /**
     * Where a fal key is configured, in the starter's order of precedence, or {@code null}. The environment variables
     * are checked by their own names first: Spring's relaxed binding also resolves {@code fal.key} from
     * {@code FAL_KEY}, which would otherwise be reported as a property.
     */
    static String keySource(Environment env) {
        if (hasText(env, "FAL_KEY")) {
            return "FAL_KEY";
        }
        if (hasText(env, "fal.key")) {
            return "fal.key";
        }
        if (hasText(env, "FAL_KEY_ID") && hasText(env, "FAL_KEY_SECRET")) {
            return "FAL_KEY_ID/FAL_KEY_SECRET";
        }
        if (hasText(env, "fal.key-id") && hasText(env, "fal.key-secret")) {
            return "fal.key-id/fal.key-secret";
        }
        return null;
    }

    private static boolean hasText(Environment env, String name) {
        String value = env.getProperty(name);
        return value != null && !value.isBlank();
    }

    /** Whether the in-process emulator is used. */
    public boolean emulator() {
        return effective == FalMode.EMULATOR;
    }

    /** Lower-case name of the effective mode, e.g. {@code emulator}. */
    public String effectiveName() {
        return effective.name().toLowerCase(Locale.ROOT);
    }

    /** Why this mode is in effect, for condition reports and logs. */
    public String reason() {
        if (configured != FalMode.AUTO) {
            return PROPERTY + "=" + configured.name().toLowerCase(Locale.ROOT);
        }
        return keySource != null
                ? PROPERTY + "=auto and a fal key is configured (" + keySource + ")"
                : PROPERTY + "=auto and no fal key is configured";
    }
}
