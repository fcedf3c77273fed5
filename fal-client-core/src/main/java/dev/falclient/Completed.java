package dev.falclient;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The request finished. fal reports failures as {@code COMPLETED} too, with {@code error} and {@code error_type} set;
 * the actual error body is returned by the result call.
 *
 * <pre>{@code if (status instanceof Completed c && c.failed()) log.warn("{}: {}", c.errorType(), c.error()); }</pre>
 *
 * @param logs      log lines of this status response (empty unless logs were requested)
 * @param metrics   fal's metrics, e.g. {@code inference_time} in seconds (empty if fal sent none)
 * @param error     human readable error, or {@code null} when the request succeeded
 * @param errorType machine readable error category such as {@code runner_disconnected}, or {@code null}
 */
public record Completed(List<RequestLog> logs, Map<String, Object> metrics, @Nullable String error,
                        @Nullable String errorType)
        implements Status {

    public Completed {
        logs = logs == null ? List.of() : List.copyOf(logs);
        metrics = metrics == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** Whether fal reported an error for this request. */
    public boolean failed() {
        return error != null || errorType != null;
    }
}
