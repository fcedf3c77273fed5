package dev.falclient.observation;

import java.util.Locale;

/**
 * How a fal request ended, as far as this client saw it: the {@code fal.outcome} key of the {@code fal.request}
 * observation.
 *
 * <pre>{@code
 * if (context.getOutcome() == FalRequestOutcome.GIVEN_UP) { ... }
 * }</pre>
 */
public enum FalRequestOutcome {

    /** fal reported the request completed without an error (whether or not its result was fetched). */
    COMPLETED,
    /**
     * The request failed: fal completed it with an error, the submit failed, or a call about it (status, result)
     * failed before the client saw it complete.
     */
    FAILED,
    /** fal accepted a cancel of the request. */
    CANCELLED,
    /**
     * The client stopped following the request before it ended: the wait's deadline passed, the caller went away
     * before the submit was sent, the client was closed, or the request dropped out of the client's memory of
     * recent requests (see {@code FalClient.Builder#maxObservedRequests}) without being watched to its end. The
     * request may still run, and be billed, on fal.
     */
    GIVEN_UP;

    /** The key value: the lower-case name, e.g. {@code given_up}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
