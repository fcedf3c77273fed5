package dev.falclient.spring.autoconfigure;

import dev.falclient.AsyncFalClient;
import dev.falclient.FalClientStats;
import dev.falclient.settings.UrlSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one INFO line the starter writes when it builds the client: where the key comes from (masked, never the key)
 * and the fal URLs in use, both as the {@link FalConnectionDetails} give them (named when they are not the
 * properties-backed default), so that "which key and which fal is this app talking to?" is answered by the log.
 * Silence it with {@code logging.level.dev.falclient.spring.autoconfigure.FalStartupLog=warn}.
 */
final class FalStartupLog {

    private static final Logger log = LoggerFactory.getLogger(FalStartupLog.class);

    private FalStartupLog() {
    }

    static void log(AsyncFalClient client, FalConnectionDetails details, UrlSettings urls) {
        if (log.isInfoEnabled()) {
            log.info(line(client, details, urls));
        }
    }

    static String line(AsyncFalClient client, FalConnectionDetails details, UrlSettings urls) {
        String line = "fal client ready: " + keySource(client) + "; queue " + urls.queueUrl() + ", run "
                + urls.runUrl() + ", rest " + urls.restUrl() + ", cdn " + urls.cdnUrl();
        return details instanceof PropertiesFalConnectionDetails ? line
                : line + " (from connection details " + details.getClass().getName() + ")";
    }

    private static String keySource(AsyncFalClient client) {
        FalClientStats stats;
        try {
            // resolves the credential source once, as the health check does; a custom source may fail here
            stats = client.stats();
        }
        catch (RuntimeException e) {
            // the exception's message could quote a secret: only its type is named
            return "key source failed at startup (" + e.getClass().getSimpleName() + ")";
        }
        return stats.credentialSource()
                .map(source -> "key from " + describe(source) + " (" + stats.maskedKey().orElse("…") + ")")
                .orElse("no key (set FAL_KEY or fal.key; calls fail with MissingCredentialsException until one is set)");
    }

    /** Source names as FalCredentialSources and the core's credential sources report them. */
    static String describe(String source) {
        return switch (source) {
            case "fal.key" -> "property fal.key";
            case "fal.key-id" -> "properties fal.key-id + fal.key-secret";
            case "FAL_KEY" -> "environment variable FAL_KEY";
            case "FAL_KEY_ID" -> "environment variables FAL_KEY_ID + FAL_KEY_SECRET";
            case "supplier" -> "a custom credential supplier";
            case "key" -> "a fixed key";
            default -> source;
        };
    }
}
