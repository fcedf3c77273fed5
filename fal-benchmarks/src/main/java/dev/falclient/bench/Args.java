package dev.falclient.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Command-line options {@code --name value} or {@code --name=value}. Every option must be known; a bad one fails
 * with {@link IllegalArgumentException} naming it.
 */
final class Args {

    private final Map<String, String> values = new LinkedHashMap<>();

    Args(String[] args, Set<String> known) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + arg);
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("missing value for --" + name);
            }
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name + " (known: --"
                        + String.join(", --", new java.util.TreeSet<>(known)) + ")");
            }
            values.put(name, value);
        }
    }

    String string(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    /** An integer of at least {@code min}. */
    int integer(String name, int fallback, int min) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        int n;
        try {
            n = Integer.parseInt(v.trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be an integer: " + v);
        }
        if (n < min) {
            throw new IllegalArgumentException("--" + name + " must be at least " + min + ": " + v);
        }
        return n;
    }

    boolean has(String name) {
        return values.containsKey(name);
    }
}
