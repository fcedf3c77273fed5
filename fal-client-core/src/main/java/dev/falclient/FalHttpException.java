package dev.falclient;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * fal (or something in front of it) answered with a non-2xx HTTP status. The message is fal's {@code detail} when
 * the body has one.
 *
 * <pre>{@code
 * catch (FalHttpException e) {
 *     log.warn("HTTP {} ({}): {}", e.statusCode(), e.errorType(), e.getMessage());
 * }
 * }</pre>
 */
public class FalHttpException extends FalException {

    private final int statusCode;
    private final @Nullable String errorType;
    private final String body;
    private final Map<String, List<String>> headers;

    FalHttpException(String message, int statusCode, @Nullable String errorType, @Nullable String body,
                     @Nullable Map<String, List<String>> headers, @Nullable String requestId, boolean possiblySubmitted) {
        super(message, requestId, null, possiblySubmitted);
        this.statusCode = statusCode;
        this.errorType = errorType;
        this.body = body == null ? "" : body;
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            headers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        }
        this.headers = Collections.unmodifiableMap(copy);
    }

    /** The HTTP status code. */
    public int statusCode() {
        return statusCode;
    }

    /**
     * fal's machine readable error category ({@code error_type} in the body, else the {@code X-Fal-Error-Type}
     * header), e.g. {@code request_timeout}; {@code null} when fal sent none.
     */
    public @Nullable String errorType() {
        return errorType;
    }

    /** The raw response body (may be HTML for gateway errors); empty if there was none. */
    public String body() {
        return body;
    }

    /** The response headers, with case-insensitive names. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The first value of a response header. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** fal's {@code X-Fal-Retryable} hint: whether the identical request might succeed if retried. */
    public Optional<Boolean> retryable() {
        return header("X-Fal-Retryable").map(v -> v.trim().equalsIgnoreCase("true"));
    }

    /** Whether this is the 504 fal answers when the request's start timeout ({@code X-Fal-Request-Timeout}) passed. */
    public boolean isUserTimeout() {
        return statusCode == 504 && header("X-Fal-Request-Timeout-Type").isPresent();
    }
}
