package dev.falclient.emulator;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP call received by the {@link FalEmulator}, as recorded for assertions.
 *
 * <p>Usage: {@code assertThat(emu.requests(CallKind.SUBMIT).get(0).header("Authorization")).isEqualTo("Key k");}
 *
 * @param kind       what the call was classified as
 * @param method     HTTP method, upper case
 * @param path       the request path as received (path prefix included, query string excluded)
 * @param endpointId the endpoint id: the full id (with sub-path) for submit/run/stream, {@code {ns/}owner/alias} for
 *                   request-scoped calls, {@code null} when not applicable
 * @param requestId  the request id the call refers to (for submit/run/stream: the id the emulator assigned), or
 *                   {@code null}
 * @param headers    request headers; the map is case-insensitive on names
 * @param query      decoded query parameters
 * @param body       the request body as UTF-8 text ({@code ""} when empty)
 * @param time       when the call was received
 */
public record RecordedRequest(CallKind kind, String method, String path, @Nullable String endpointId,
                              @Nullable String requestId, Map<String, List<String>> headers,
                              Map<String, List<String>> query, String body, Instant time) {

    /** Copies the maps; {@code headers} becomes case-insensitive. */
    public RecordedRequest {
        TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            headers.forEach((k, v) -> h.put(k, List.copyOf(v)));
        }
        headers = Collections.unmodifiableMap(h);
        query = query == null ? Map.of() : Map.copyOf(query);
        body = body == null ? "" : body;
    }

    /** The first value of a header (case-insensitive name), or {@code null}. */
    public @Nullable String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The first value of a query parameter, or {@code null}. */
    public @Nullable String queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
