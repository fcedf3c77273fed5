package dev.falclient.settings;

import java.time.Duration;

/**
 * The client's own Reactor Netty connection pools: one for calls (submit, status, result, cancel, run), one for
 * status streams.
 *
 * <pre>{@code FalClient.builder().pool(PoolSettings.DEFAULTS.withMaxConnections(1000)).build();}</pre>
 *
 * @param maxConnections         size of the calls' connection pool
 * @param pendingAcquireMaxCount how many calls may wait for a pooled connection before new ones are rejected
 * @param pendingAcquireTimeout  how long a call may wait for a pooled connection
 * @param maxStatusStreams       most status streams open at once, the size of their own connection pool (a stream
 *                               holds its connection for the whole wait); beyond this limit further waits poll.
 *                               Streams never take connections from the calls' pool; 0 makes every wait poll
 */
public record PoolSettings(int maxConnections, int pendingAcquireMaxCount, Duration pendingAcquireTimeout,
                           int maxStatusStreams) {

    public static final String DEFAULT_MAX_CONNECTIONS = "500";
    public static final String DEFAULT_PENDING_ACQUIRE_MAX_COUNT = "100000";
    public static final String DEFAULT_PENDING_ACQUIRE_TIMEOUT = "60s";
    public static final String DEFAULT_MAX_STATUS_STREAMS = "1000";

    /** fal's defaults. */
    public static final PoolSettings DEFAULTS = new PoolSettings(Integer.parseInt(DEFAULT_MAX_CONNECTIONS),
            Integer.parseInt(DEFAULT_PENDING_ACQUIRE_MAX_COUNT), DefaultText.duration(DEFAULT_PENDING_ACQUIRE_TIMEOUT),
            Integer.parseInt(DEFAULT_MAX_STATUS_STREAMS));

    /** Validates every value. */
    public PoolSettings {
        Check.positive("maxConnections", maxConnections);
        Check.positive("pendingAcquireMaxCount", pendingAcquireMaxCount);
        Check.positive("pendingAcquireTimeout", pendingAcquireTimeout);
        Check.notNegative("maxStatusStreams", maxStatusStreams);
    }

    public PoolSettings withMaxConnections(int maxConnections) {
        return new PoolSettings(maxConnections, pendingAcquireMaxCount, pendingAcquireTimeout, maxStatusStreams);
    }

    public PoolSettings withPendingAcquireMaxCount(int pendingAcquireMaxCount) {
        return new PoolSettings(maxConnections, pendingAcquireMaxCount, pendingAcquireTimeout, maxStatusStreams);
    }

    public PoolSettings withPendingAcquireTimeout(Duration pendingAcquireTimeout) {
        return new PoolSettings(maxConnections, pendingAcquireMaxCount, pendingAcquireTimeout, maxStatusStreams);
    }

    public PoolSettings withMaxStatusStreams(int maxStatusStreams) {
        return new PoolSettings(maxConnections, pendingAcquireMaxCount, pendingAcquireTimeout, maxStatusStreams);
    }
}
