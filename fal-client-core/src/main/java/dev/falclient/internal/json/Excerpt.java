package dev.falclient.internal.json;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Makes server data fit for exception messages: one line, a few hundred characters, credentials redacted. A body
 * can be megabytes long, and a proxy that echoes the request puts the caller's key into it; messages end up in logs,
 * so every message the client builds from such data goes through here.
 */
public final class Excerpt {

    /** Longest excerpt of one body or {@code detail}. */
    static final int MAX = 300;
    /** Longest whole message. */
    static final int MAX_MESSAGE = 1_000;
    /** Scanned from a huge text: enough for any excerpt, and redaction stays cheap on a 5 MB body. */
    private static final int SCAN = 16_384;
    private static final String REDACTED = "[REDACTED]";
    private static final String ELLIPSIS = "…";

    /** Line breaks of every kind (a message must stay one log line) and control characters (terminal escapes). */
    private static final Pattern BREAKS = Pattern.compile("[\\s\\p{Cc}\\p{Zl}\\p{Zp}]+");
    /** Characters that end a token; {@code [} among them, so that a redaction is never redacted again. */
    private static final String SEPARATORS = "\"',;{}<>[]";
    private static final String TOKEN = "[^\\s\"',;{}<>\\[\\]]";
    /** A credential-carrying header or setting echoed as {@code name: value}, {@code "name":"value"} or
     *  {@code name=value}; an optional scheme word ({@code Key}, {@code Bearer}, ...) goes with the value. */
    private static final Pattern NAMED = Pattern.compile(
            "(?i)\\b((?:proxy-)?authorization|(?:x-)?(?:fal|api)[_-]?key)(\\s*[\"']?\\s*[:=]\\s*[\\[\"']*\\s*)"
                    + "(?!REDACTED\\])(?:[a-z]+[ \\t]+)?" + TOKEN + "+");
    /** {@code Bearer <token>}: any token. */
    private static final Pattern BEARER = Pattern.compile("(?i)\\b(Bearer)\\s+" + TOKEN + "+");
    /** fal's scheme {@code Key <token>}, when the token looks like a credential (has a ':' or digit, or is long),
     *  so that prose such as "Key not found" survives. */
    private static final Pattern KEY = Pattern.compile(
            "\\b(Key)\\s+(?=" + TOKEN + "*[:0-9]|" + TOKEN + "{20})" + TOKEN + "+");
    /** A bare {@code <key id>:<key secret>} (fal's key shape). Tried only where a token starts, bounded and
     *  possessive, so that a hostile body cannot make the search quadratic. */
    private static final Pattern ID_SECRET = Pattern.compile(
            "(?<![A-Za-z0-9_-])[A-Za-z0-9][A-Za-z0-9_-]{7,63}+:[A-Za-z0-9_-]{16,512}+(?![A-Za-z0-9_-])");
    /** Longer than a fal key or a typical JWT. */
    private static final int LONGEST_CREDENTIAL = 4_096;

    private Excerpt() {
    }

    /** A short, single-line, redacted excerpt of a body or {@code detail}; {@code <empty body>} for none. */
    public static String of(@Nullable String body) {
        if (body == null || body.isBlank()) {
            return "<empty body>";
        }
        return clean(body, MAX);
    }

    /** A whole exception message made fit to log: single line, redacted, at most {@value #MAX_MESSAGE} chars. */
    public static String message(@Nullable String message) {
        return message == null ? "" : clean(message, MAX_MESSAGE);
    }

    /**
     * The text with everything that looks like a credential replaced by {@code [REDACTED]}: the value of an
     * {@code Authorization}, {@code Proxy-Authorization}, {@code X-Fal-Key}/{@code FAL_KEY} or {@code api_key},
     * {@code Bearer <token>}, {@code Key <token>} and a bare {@code <id>:<secret>} key. Other text is kept as is.
     */
    public static String redact(@Nullable String text) {
        if (text == null || text.isEmpty()) {
            return text == null ? "" : text;
        }
        String out = NAMED.matcher(text).replaceAll("$1$2" + REDACTED);
        out = BEARER.matcher(out).replaceAll("$1 " + REDACTED);
        out = KEY.matcher(out).replaceAll("$1 " + REDACTED);
        return ID_SECRET.matcher(out).replaceAll(REDACTED);
    }

    private static String clean(String text, int max) {
        boolean cut = text.length() > SCAN;
        String head = cut ? withoutPartialToken(text.substring(0, SCAN)) : text;
        // redacted before flattening: line ends still bound a header value echoed as plain text
        String flat = BREAKS.matcher(redact(head)).replaceAll(" ").trim();
        if (!cut && flat.length() <= max) {
            return flat;
        }
        int end = Math.min(flat.length(), max - ELLIPSIS.length());
        if (end > 0 && Character.isHighSurrogate(flat.charAt(end - 1))) {
            end--;
        }
        return flat.substring(0, end) + ELLIPSIS;
    }

    /**
     * A credential cut in half would no longer match the redaction patterns, so a trailing token is dropped. One
     * longer than any credential is kept: it is no credential, and may be all the text there is.
     */
    private static String withoutPartialToken(String head) {
        for (int i = head.length() - 1; i >= Math.max(0, head.length() - LONGEST_CREDENTIAL); i--) {
            char c = head.charAt(i);
            if (Character.isWhitespace(c) || SEPARATORS.indexOf(c) >= 0) {
                return head.substring(0, i);
            }
        }
        return head;
    }
}
