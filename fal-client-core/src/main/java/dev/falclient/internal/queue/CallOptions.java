package dev.falclient.internal.queue;

import dev.falclient.Priority;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What one submit, run or subscribe call carries besides its arguments.
 *
 * @param headers      caller headers (validated by the option builders)
 * @param hint         runner hint or {@code null}
 * @param startTimeout server start timeout or {@code null}
 * @param path         sub-path appended to the endpoint id or {@code null}
 * @param priority     queue priority or {@code null} (the client's default)
 * @param webhookUrl   webhook URL or {@code null}
 */
public record CallOptions(Map<String, String> headers, @Nullable String hint, @Nullable Duration startTimeout,
                          @Nullable String path, @Nullable Priority priority, @Nullable String webhookUrl) {

    public CallOptions {
        headers = Map.copyOf(headers);
    }

    /** These options, with {@code webhookUrl} when they name none ({@code null}: unchanged). */
    CallOptions orWebhookUrl(String defaultWebhookUrl) {
        return webhookUrl != null || defaultWebhookUrl == null ? this
                : new CallOptions(headers, hint, startTimeout, path, priority, defaultWebhookUrl);
    }

    /** The headers to send: client defaults, then the caller's, then those derived from the options. */
    public Map<String, String> headers(Map<String, String> defaults, Priority defaultPriority) {
        Map<String, String> all = new LinkedHashMap<>(defaults);
        all.putAll(headers);
        if (startTimeout != null) {
            all.put("X-Fal-Request-Timeout", seconds(startTimeout));
        }
        if (hint != null && !hint.isBlank()) {
            all.put("X-Fal-Runner-Hint", hint);
        }
        Priority effective = priority != null ? priority : defaultPriority;
        if (effective != null) {
            all.put("X-Fal-Queue-Priority", effective.headerValue());
        }
        return all;
    }

    static String seconds(Duration d) {
        return BigDecimal.valueOf(d.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString();
    }
}
