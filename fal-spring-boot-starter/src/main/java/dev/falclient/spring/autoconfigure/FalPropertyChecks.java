package dev.falclient.spring.autoconfigure;

import dev.falclient.settings.InvalidSettingException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The checks behind {@link FalProperties}: core settings built with their errors named by property, and keys that
 * still hold an unresolved {@code ${...}} placeholder.
 */
final class FalPropertyChecks {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{[^}$]*}?");

    private FalPropertyChecks() {
    }

    /** Whether {@code value} still contains a {@code ${...}} placeholder, so must not be used as a key. */
    static boolean unresolved(@Nullable String value) {
        return value != null && value.contains("${");
    }

    static void unresolvedKey(String name, String environmentVariable, @Nullable String value,
                                            List<String> problems) {
        if (!unresolved(value)) {
            return;
        }
        List<String> placeholders = new ArrayList<>();
        Matcher placeholder = PLACEHOLDER.matcher(value);
        while (placeholder.find()) {
            placeholders.add(placeholder.group());
        }
        String first = placeholders.get(0);
        String variable = placeholder(first);
        String property = FalProperties.PREFIX + "." + name;
        String what = value.trim().equals(first) ? " is the unresolved placeholder " + first
                : " contains the unresolved placeholder" + (placeholders.size() > 1 ? "s " : " ")
                        + String.join(", ", placeholders);
        problems.add(property + what + ": nothing defines " + variable + ", so Spring bound the text itself. Set "
                + variable + ", or write ${" + variable + ":} (empty when unset), or remove " + property
                + " (the " + environmentVariable + " environment variable is read without it)");
    }

    /** The name inside {@code ${name}} or {@code ${name:default}}. */
    private static String placeholder(String placeholder) {
        String inner = placeholder.substring(2, placeholder.endsWith("}") ? placeholder.length() - 1
                : placeholder.length());
        int colon = inner.indexOf(':');
        return colon < 0 ? inner : inner.substring(0, colon);
    }

    /** Builds core settings, reporting a bad value under its property name (e.g. {@code fal.retry.max-attempts}). */
    static <T> T checked(String prefix, Supplier<T> settings) {
        try {
            return settings.get();
        } catch (InvalidSettingException e) {
            // no cause: the failure analysis shows the root cause, which names the core setting, not the property
            throw new IllegalArgumentException(prefix + "." + kebab(e.setting()) + " " + e.problem());
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    static boolean absoluteHttpUrl(String url) {
        try {
            URI uri = new URI(url);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    static boolean hasText(@Nullable String s) {
        return s != null && !s.isBlank();
    }

    static String mask(@Nullable String secret) {
        return secret == null ? "null" : hasText(secret) ? "******" : "";
    }
}
