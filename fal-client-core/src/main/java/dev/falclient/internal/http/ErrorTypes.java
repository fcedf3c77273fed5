package dev.falclient.internal.http;

import java.util.Map;

/**
 * The HTTP status fal documents for each {@code error_type} of its request errors (fal-protocol.md §6.5), used when an
 * error arrives as an event of an already answered stream rather than as an HTTP answer.
 */
final class ErrorTypes {

    private static final int UNKNOWN = 500;
    private static final Map<String, Integer> STATUS = Map.ofEntries(
            Map.entry("request_timeout", 504),
            Map.entry("startup_timeout", 504),
            Map.entry("runner_scheduling_failure", 503),
            Map.entry("runner_connection_timeout", 503),
            Map.entry("runner_disconnected", 503),
            Map.entry("runner_connection_refused", 503),
            Map.entry("runner_connection_error", 503),
            Map.entry("runner_incomplete_response", 502),
            Map.entry("runner_server_error", 500),
            Map.entry("client_disconnected", 499),
            Map.entry("client_cancelled", 499),
            Map.entry("bad_request", 400),
            Map.entry("internal_error", 500));

    private ErrorTypes() {
    }

    /** The status of {@code errorType}; 500 for an unknown or missing type. */
    static int status(String errorType) {
        return errorType == null ? UNKNOWN : STATUS.getOrDefault(errorType, UNKNOWN);
    }
}
