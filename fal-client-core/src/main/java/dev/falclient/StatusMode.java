package dev.falclient;

/**
 * How the client watches a queued request until it completes.
 *
 * <pre>{@code SubscribeOptions.builder().mode(StatusMode.POLLING).pollInterval(Duration.ofMillis(500)).build()}</pre>
 */
public enum StatusMode {
    /** Repeated {@code GET …/status} at the poll interval. */
    POLLING,
    /**
     * One server-sent-event stream ({@code GET …/status/stream}); if it fails, ends early or stays silent past the
     * idle timeout, the client falls back to polling for the rest of the wait.
     */
    STREAMING
}
