package dev.falclient.emulator;

/**
 * The kind of an HTTP call received by the {@link FalEmulator}. Used to filter recorded requests and to aim faults.
 *
 * <p>Usage: {@code emu.fault(CallKind.STATUS).times(2).httpStatus(429);}
 */
public enum CallKind {
    /** {@code POST {queue}/{endpointId}}: queue submit. */
    SUBMIT,
    /** {@code GET {queue}/{ns/}{owner}/{alias}/requests/{id}/status}: status poll. */
    STATUS,
    /** {@code GET {queue}/{ns/}{owner}/{alias}/requests/{id}/status/stream}: status server-sent events. */
    STATUS_STREAM,
    /** {@code GET {queue}/{ns/}{owner}/{alias}/requests/{id}}: result. */
    RESULT,
    /** {@code PUT {queue}/{ns/}{owner}/{alias}/requests/{id}/cancel}: cancel. */
    CANCEL,
    /** {@code POST {run}/{endpointId}}: synchronous run. */
    RUN,
    /** {@code POST {run}/{endpointId}/stream}: streaming run (server-sent events). */
    STREAM,
    /** {@code GET {cdn}/files/...}: generated file download (public, no auth). */
    FILE,
    /** Anything else (REST host, unknown paths, wrong methods). */
    OTHER
}
