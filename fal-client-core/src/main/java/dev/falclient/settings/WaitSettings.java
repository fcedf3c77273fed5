package dev.falclient.settings;

import dev.falclient.StatusMode;
import java.time.Duration;

/**
 * How the client waits for a queued request to complete ({@code subscribe}, {@code get}, {@code result},
 * background tracking).
 *
 * <pre>{@code FalClient.builder().waiting(WaitSettings.DEFAULTS.withStatusMode(StatusMode.POLLING)).build();}</pre>
 *
 * @param statusMode        STREAMING (server-sent events, falling back to polling) or POLLING
 * @param pollInterval      interval between status polls
 * @param streamIdleTimeout how long a status stream may stay silent (keep-alive comments count as activity) before
 *                          the client falls back to polling; fal sends a keep-alive every 15 s. Also the default
 *                          bound of the silence between two events of a streaming run once fal answered
 *                          ({@code StreamOptions.idleTimeout} replaces it per call)
 * @param waitTimeout       bound of every wait for completion that has no explicit client timeout
 */
public record WaitSettings(StatusMode statusMode, Duration pollInterval, Duration streamIdleTimeout,
                           Duration waitTimeout) {

    public static final String DEFAULT_STATUS_MODE = "STREAMING";
    public static final String DEFAULT_POLL_INTERVAL = "500ms";
    public static final String DEFAULT_STREAM_IDLE_TIMEOUT = "60s";
    public static final String DEFAULT_WAIT_TIMEOUT = "1h";

    /** fal's defaults. */
    public static final WaitSettings DEFAULTS = new WaitSettings(StatusMode.valueOf(DEFAULT_STATUS_MODE),
            DefaultText.duration(DEFAULT_POLL_INTERVAL), DefaultText.duration(DEFAULT_STREAM_IDLE_TIMEOUT),
            DefaultText.duration(DEFAULT_WAIT_TIMEOUT));

    /** Validates every value. */
    public WaitSettings {
        Check.present("statusMode", statusMode);
        Check.positive("pollInterval", pollInterval);
        Check.positive("streamIdleTimeout", streamIdleTimeout);
        Check.positive("waitTimeout", waitTimeout);
    }

    public WaitSettings withStatusMode(StatusMode statusMode) {
        return new WaitSettings(statusMode, pollInterval, streamIdleTimeout, waitTimeout);
    }

    public WaitSettings withPollInterval(Duration pollInterval) {
        return new WaitSettings(statusMode, pollInterval, streamIdleTimeout, waitTimeout);
    }

    public WaitSettings withStreamIdleTimeout(Duration streamIdleTimeout) {
        return new WaitSettings(statusMode, pollInterval, streamIdleTimeout, waitTimeout);
    }

    public WaitSettings withWaitTimeout(Duration waitTimeout) {
        return new WaitSettings(statusMode, pollInterval, streamIdleTimeout, waitTimeout);
    }
}
