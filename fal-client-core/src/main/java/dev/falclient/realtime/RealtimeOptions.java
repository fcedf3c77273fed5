package dev.falclient.realtime;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Options of a realtime connection. Immutable; {@link #DEFAULTS} suits most apps.
 *
 * <pre>{@code
 * RealtimeOptions options = RealtimeOptions.builder().maxBuffering(2).latestInputWins(true).build();
 * }</pre>
 */
public final class RealtimeOptions {

    /** fal's default path, appended to the endpoint id. */
    public static final String DEFAULT_PATH = "/realtime";
    /** fal's default token lifetime (fal-js and the Python client use the same). */
    public static final Duration DEFAULT_TOKEN_EXPIRATION = Duration.ofSeconds(120);
    /** How long outputs are awaited once the inputs have completed. */
    public static final Duration DEFAULT_OUTPUT_TIMEOUT = Duration.ofSeconds(30);
    /** Reconnects after an abnormal close or a failed connect, one after the other. */
    public static final int DEFAULT_RECONNECT_ATTEMPTS = 3;
    /** The first pause before a reconnect; it doubles with each further attempt. */
    public static final Duration DEFAULT_RECONNECT_BACKOFF = Duration.ofMillis(500);
    /** Inputs a blocking {@link FalRealtimeConnection#send(Object)} may queue before it waits for the socket. */
    public static final int DEFAULT_MAX_PENDING_INPUTS = 64;

    /** Everything at its default. */
    public static final RealtimeOptions DEFAULTS = builder().build();

    private static final int MAX_BUFFERING_LIMIT = 60;
    private static final Duration MAX_TOKEN_EXPIRATION = Duration.ofDays(1);

    private final String path;
    private final int maxBuffering;
    private final Duration tokenExpiration;
    private final boolean latestInputWins;
    private final RealtimeEncoding encoding;
    private final boolean reconnectWhenIdle;
    private final int reconnectAttempts;
    private final Duration reconnectBackoff;
    private final Duration outputTimeout;
    private final int maxPendingInputs;

    private RealtimeOptions(Builder b) {
        this.path = b.path;
        this.maxBuffering = b.maxBuffering;
        this.tokenExpiration = b.tokenExpiration;
        this.latestInputWins = b.latestInputWins;
        this.encoding = b.encoding;
        this.reconnectWhenIdle = b.reconnectWhenIdle;
        this.reconnectAttempts = b.reconnectAttempts;
        this.reconnectBackoff = b.reconnectBackoff;
        this.outputTimeout = b.outputTimeout;
        this.maxPendingInputs = b.maxPendingInputs;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The path after the endpoint id ({@value #DEFAULT_PATH}). */
    public String path() {
        return path;
    }

    /** fal's {@code max_buffering}, if set. */
    public OptionalInt maxBuffering() {
        return maxBuffering == 0 ? OptionalInt.empty() : OptionalInt.of(maxBuffering);
    }

    public Duration tokenExpiration() {
        return tokenExpiration;
    }

    public boolean latestInputWins() {
        return latestInputWins;
    }

    public RealtimeEncoding encoding() {
        return encoding;
    }

    public boolean reconnectWhenIdle() {
        return reconnectWhenIdle;
    }

    public int reconnectAttempts() {
        return reconnectAttempts;
    }

    public Duration reconnectBackoff() {
        return reconnectBackoff;
    }

    public Duration outputTimeout() {
        return outputTimeout;
    }

    public int maxPendingInputs() {
        return maxPendingInputs;
    }

    @Override
    public String toString() {
        return "RealtimeOptions[path=" + path + ", maxBuffering=" + maxBuffering() + ", tokenExpiration="
                + tokenExpiration + ", latestInputWins=" + latestInputWins + ", encoding=" + encoding
                + ", reconnectWhenIdle=" + reconnectWhenIdle + ", reconnectAttempts=" + reconnectAttempts
                + ", reconnectBackoff=" + reconnectBackoff + ", outputTimeout=" + outputTimeout
                + ", maxPendingInputs=" + maxPendingInputs + "]";
    }

    /** Builder of {@link RealtimeOptions}; each setter checks its value and says what is allowed. */
    public static final class Builder {
        private String path = DEFAULT_PATH;
        private int maxBuffering;
        private Duration tokenExpiration = DEFAULT_TOKEN_EXPIRATION;
        private boolean latestInputWins;
        private RealtimeEncoding encoding = RealtimeEncoding.MSGPACK;
        private boolean reconnectWhenIdle = true;
        private int reconnectAttempts = DEFAULT_RECONNECT_ATTEMPTS;
        private Duration reconnectBackoff = DEFAULT_RECONNECT_BACKOFF;
        private Duration outputTimeout = DEFAULT_OUTPUT_TIMEOUT;
        private int maxPendingInputs = DEFAULT_MAX_PENDING_INPUTS;

        private Builder() {
        }

        /**
         * The path after the endpoint id (default {@value #DEFAULT_PATH}, fal's {@code path} option), e.g.
         * {@code "/ws"}; it is not appended again when the endpoint id already ends with it.
         *
         * @throws IllegalArgumentException unless it starts with {@code /}, or if it has a query or a dot segment
         */
        public Builder path(String path) {
            Objects.requireNonNull(path, "path");
            if (!path.startsWith("/") || path.contains("?") || path.contains("#")
                    || path.matches(".*/\\.{1,2}(/.*)?")) {
                throw new IllegalArgumentException("path must start with '/' and have no query, fragment or '.'/'..' "
                        + "segment, e.g. \"/realtime\"; was \"" + path + "\"");
            }
            this.path = path;
            return this;
        }

        /**
         * fal's {@code max_buffering}: how many inputs fal buffers for the app before it drops the oldest, 1 to 60
         * (fal recommends 2 for interactive apps). Unset by default: fal's own default applies.
         */
        public Builder maxBuffering(int frames) {
            if (frames < 1 || frames > MAX_BUFFERING_LIMIT) {
                throw new IllegalArgumentException("maxBuffering must be 1 to " + MAX_BUFFERING_LIMIT + ", was "
                        + frames);
            }
            this.maxBuffering = frames;
            return this;
        }

        /**
         * Lifetime of the short-lived token the connection authenticates with (default 120 seconds, whole seconds).
         * The client fetches a fresh one at 90% of it while the connection is open, so reconnects never use a stale
         * token.
         */
        public Builder tokenExpiration(Duration expiration) {
            Objects.requireNonNull(expiration, "tokenExpiration");
            if (expiration.compareTo(Duration.ofSeconds(1)) < 0 || expiration.compareTo(MAX_TOKEN_EXPIRATION) > 0
                    || expiration.getNano() != 0) {
                throw new IllegalArgumentException("tokenExpiration must be whole seconds from 1 second to 1 day, was "
                        + expiration);
            }
            this.tokenExpiration = expiration;
            return this;
        }

        /**
         * When inputs come faster than the socket takes them, send only the most recent one and drop those it
         * replaces (what a slider or a drawing canvas wants). Off by default: inputs wait, and their source is
         * slowed down (backpressure).
         */
        public Builder latestInputWins(boolean latestInputWins) {
            this.latestInputWins = latestInputWins;
            return this;
        }

        /** How inputs are framed (default {@link RealtimeEncoding#MSGPACK}, what fal's apps expect). */
        public Builder encoding(RealtimeEncoding encoding) {
            this.encoding = Objects.requireNonNull(encoding, "encoding");
            return this;
        }

        /**
         * When fal closes an idle session (its {@code TIMEOUT} message), open a new connection at the next input
         * instead of ending (default {@code true}, as fal-js does).
         */
        public Builder reconnectWhenIdle(boolean reconnect) {
            this.reconnectWhenIdle = reconnect;
            return this;
        }

        /**
         * Reconnects after an abnormal close or a failed connect, in a row, before the connection fails (default
         * {@value #DEFAULT_RECONNECT_ATTEMPTS}; 0 disables). A connection refused by fal (401, 403, 404) or an app
         * error is never retried. Inputs the lost socket had taken are not resent.
         */
        public Builder reconnectAttempts(int attempts) {
            if (attempts < 0 || attempts > 100) {
                throw new IllegalArgumentException("reconnectAttempts must be 0 to 100, was " + attempts);
            }
            this.reconnectAttempts = attempts;
            return this;
        }

        /** The pause before the first reconnect, doubled for each further one up to 30 s (default 500 ms). */
        public Builder reconnectBackoff(Duration backoff) {
            this.reconnectBackoff = positive(backoff, "reconnectBackoff");
            return this;
        }

        /**
         * Once the inputs have completed, how long to wait for the next output before closing the connection
         * normally (default 30 seconds).
         */
        public Builder outputTimeout(Duration timeout) {
            this.outputTimeout = positive(timeout, "outputTimeout");
            return this;
        }

        /**
         * Inputs a blocking {@link FalRealtimeConnection#send(Object)} may queue ahead of the socket before it waits
         * for room (default {@value #DEFAULT_MAX_PENDING_INPUTS}); irrelevant with {@link #latestInputWins(boolean)}.
         */
        public Builder maxPendingInputs(int inputs) {
            if (inputs < 1 || inputs > 10_000) {
                throw new IllegalArgumentException("maxPendingInputs must be 1 to 10000, was " + inputs);
            }
            this.maxPendingInputs = inputs;
            return this;
        }

        public RealtimeOptions build() {
            return new RealtimeOptions(this);
        }

        private static Duration positive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }
    }
}
