package dev.falclient.webhook;

import dev.falclient.FalException;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A request that fal reported as failed in its webhook delivery ({@link FalWebhookStatus#ERROR}): fal's error text,
 * the HTTP status it names, and fal's error body.
 *
 * <pre>{@code webhook.failure().ifPresent(e -> log.warn("{} failed with {}", e.requestId(), e.statusCode()));}</pre>
 */
public class FalWebhookErrorException extends FalException {

    private static final long serialVersionUID = 1L;
    private static final Pattern STATUS_CODE = Pattern.compile("\\b([1-5]\\d\\d)\\b");

    private final transient JsonNode payload;
    private final String error;

    FalWebhookErrorException(String requestId, String error, JsonNode payload) {
        super("fal reports request " + requestId + " as failed: " + (error.isEmpty() ? "no reason given" : error),
                requestId);
        this.error = error;
        this.payload = payload;
    }

    /** fal's error text, e.g. {@code Invalid status code: 422}; empty when fal gave none. */
    public String error() {
        return error;
    }

    /** The HTTP status named by fal's error text, if it names one. */
    public OptionalInt statusCode() {
        Matcher m = STATUS_CODE.matcher(error);
        return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    /** fal's error body, e.g. {@code {"detail": [...]}}; a JSON null when fal sent none. */
    public JsonNode payload() {
        return payload;
    }
}
