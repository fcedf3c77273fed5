package dev.falclient.internal.json;

/** Short, single-line excerpts of response bodies for exception messages. */
public final class Excerpt {

    private static final int MAX = 200;

    private Excerpt() {
    }

    public static String of(String body) {
        if (body == null || body.isEmpty()) {
            return "<empty body>";
        }
        String flat = body.replaceAll("\\s+", " ").trim();
        return flat.length() <= MAX ? flat : flat.substring(0, MAX) + "…";
    }
}
