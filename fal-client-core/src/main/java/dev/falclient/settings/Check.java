package dev.falclient.settings;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** Every validation rule of the client's settings, written once. */
final class Check {

    private Check() {
    }

    static Duration positive(String setting, @Nullable Duration value) {
        if (value == null) {
            throw new InvalidSettingException(setting, "must be set");
        }
        if (value.isNegative() || value.isZero()) {
            throw new InvalidSettingException(setting, "must be positive, was " + value);
        }
        return value;
    }

    static int positive(String setting, int value) {
        if (value <= 0) {
            throw new InvalidSettingException(setting, "must be positive, was " + value);
        }
        return value;
    }

    static long positive(String setting, long value) {
        if (value <= 0) {
            throw new InvalidSettingException(setting, "must be positive, was " + value);
        }
        return value;
    }

    static int notNegative(String setting, int value) {
        if (value < 0) {
            throw new InvalidSettingException(setting, "must not be negative, was " + value);
        }
        return value;
    }

    static double fraction(String setting, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new InvalidSettingException(setting, "must be between 0 and 1, was " + value);
        }
        return value;
    }

    static <T> T present(String setting, @Nullable T value) {
        if (value == null) {
            throw new InvalidSettingException(setting, "must be set");
        }
        return value;
    }

    /** An absolute http(s) URL without trailing slashes; it may carry a path prefix. */
    static String baseUrl(String setting, @Nullable String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidSettingException(setting, "must not be blank");
        }
        String trimmed = value.trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new InvalidSettingException(setting, "is not a valid URL: '" + value + "'");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new InvalidSettingException(setting, "must be an absolute http(s) URL, was '" + value + "'");
        }
        return trimmed;
    }
}
