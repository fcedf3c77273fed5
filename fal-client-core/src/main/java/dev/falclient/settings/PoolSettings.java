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
 * @param metrics                whether Reactor Netty records the pools' metrics ({@code reactor.netty.connection.
 *                               provider.*}, tag {@code name} = {@code fal-client} or {@code fal-client-streams}) in
 *                               Micrometer's global registry; ignored when {@code micrometer-core} is not on the
 *                               class path
 */
public record PoolSettings(int maxConnections, int pendingAcquireMaxCount, Duration pendingAcquireTimeout,
                           int maxStatusStreams, boolean metrics) {

    public static final String DEFAULT_MAX_CONNECTIONS = "500";
    public static final String DEFAULT_PENDING_ACQUIRE_MAX_COUNT = "100000";
    public static final String DEFAULT_PENDING_ACQUIRE_TIMEOUT = "60s";
    public static final String DEFAULT_MAX_STATUS_STREAMS = "1000";
    public static final String DEFAULT_METRICS = "true";

    /** fal's defaults. */
    public static final PoolSettings DEFAULTS = new PoolSettings(Integer.parseInt(DEFAULT_MAX_CONNECTIONS),
            Integer.parseInt(DEFAULT_PENDING_ACQUIRE_MAX_COUNT), DefaultText.duration(DEFAULT_PENDING_ACQUIRE_TIMEOUT),
            Integer.parseInt(DEFAULT_MAX_STATUS_STREAMS), Boolean.parseBoolean(DEFAULT_METRICS));

    /** Validates every value. */
    public PoolSettings {
        Check.positive("maxConnections", maxConnections);
        Check.positive("pendingAcquireMaxCount", pendingAcquireMaxCount);
        Check.positive("pendingAcquireTimeout", pendingAcquireTimeout);
        Check.notNegative("maxStatusStreams", maxStatusStreams);
    }

    /** The given sizes, with pool metrics as by default. */
    public PoolSettings(int maxConnections, int pendingAcquireMaxCount, Duration pendingAcquireTimeout,
                        int maxStatusStreams) {
        this(maxConnections, pendingAcquireMaxCount, pendingAcquireTimeout, maxStatusStreams,
                Boolean.parseBoolean(DEFAULT_METRICS));
    }

    public PoolSettings withMaxConnections(int maxConnections) {
        return new PoolSettings(maxConnections, pendingAcquireMaxCount, pendingAcquireTimeout, maxStatusStreams,
                metrics);
    }

    public PoolSettings withPendingAcquireMaxCount(int pendingAcquireMaxCount) {
        return new PoolSettings(maxConnections, pendingAcquireMaxCount, pendingAcquireTimeout, maxStatusStreams,
                metrics);
    }

    public PoolSettings withPendingAcquireTimeout(Duration pendingAcquireTimeout) {
        return new PoolSettings(maxConnections, pendingAcquireMaxCount, pendingAcquireTimeout, maxStatusStreams,
                metrics);
    }

    public PoolSettings withMaxStatusStreams(int maxStatusStreams) {
        return new PoolSettings(maxConnections, pendingAcquireMaxCount, pendingAcquireTimeout, maxStatusStreams,
                metrics);
    }

    public PoolSettings withMetrics(boolean metrics) {
        return new PoolSettings(maxConnections, pendingAcquireMaxCount, pendingAcquireTimeout, maxStatusStreams,
                metrics);
    }
}
