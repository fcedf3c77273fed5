package dev.falclient.bench;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one-line messages the benchmark's processes exchange on stdin/stdout: {@code TAG key=value key=value}, values
 * URL-encoded so that a message never spans lines or breaks on spaces.
 */
final class Wire {

    private Wire() {
    }

    static String format(String tag, Map<String, ?> fields) {
        StringBuilder sb = new StringBuilder(tag);
        fields.forEach((k, v) -> sb.append(' ').append(k).append('=')
                .append(URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8)));
        return sb.toString();
    }

    /** Whether {@code line} is a message with this tag. */
    static boolean is(String line, String tag) {
        return line.equals(tag) || line.startsWith(tag + " ");
    }

    /** The fields of a message (the tag is skipped). */
    static Map<String, String> parse(String line) {
        Map<String, String> fields = new LinkedHashMap<>();
        String[] parts = line.trim().split(" ");
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq > 0) {
                fields.put(parts[i].substring(0, eq),
                        URLDecoder.decode(parts[i].substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return fields;
    }

    static long number(Map<String, String> fields, String name) {
        String v = fields.get(name);
        if (v == null) {
            throw new IllegalStateException("message lacks " + name + ": " + fields);
        }
        return Long.parseLong(v);
    }
}
