package dev.falclient.settings;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the text form of the defaults ({@code 200ms}, {@code 16MB}). The defaults are written as text once, so that
 * Spring's {@code @DefaultValue} (which needs compile-time constants) and the core read the same value.
 */
final class DefaultText {

    private static final Pattern AMOUNT = Pattern.compile("^(\\d+)([a-zA-Z]+)$");

    private DefaultText() {
    }

    static Duration duration(String text) {
        Matcher m = matcher(text);
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> throw new IllegalStateException("unknown duration unit in default '" + text + "'");
        };
    }

    static int bytes(String text) {
        Matcher m = matcher(text);
        long amount = Long.parseLong(m.group(1));
        long factor = switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "B" -> 1;
            case "KB" -> 1024;
            case "MB" -> 1024 * 1024;
            default -> throw new IllegalStateException("unknown size unit in default '" + text + "'");
        };
        return Math.toIntExact(amount * factor);
    }

    private static Matcher matcher(String text) {
        Matcher m = AMOUNT.matcher(text);
        if (!m.matches()) {
            throw new IllegalStateException("malformed default '" + text + "'");
        }
        return m;
    }
}
