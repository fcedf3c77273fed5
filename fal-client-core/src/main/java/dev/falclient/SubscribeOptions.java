package dev.falclient;

import dev.falclient.internal.queue.CallOptions;
import java.time.Duration;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Options of {@code subscribe}: submit, wait for completion, fetch the result. Immutable.
 *
 * <pre>{@code
 * JsonNode out = fal.subscribe("fal-ai/flux/dev", input, SubscribeOptions.builder()
 *         .withLogs(true)
 *         .onEnqueue(requestId -> repository.save(requestId))   // before any waiting starts
 *         .onQueueUpdate(status -> log.info("{}", status))
 *         .clientTimeout(Duration.ofMinutes(5))
 *         .build());
 * }</pre>
 */
public final class SubscribeOptions {

    static final SubscribeOptions DEFAULTS = builder().build();

    private final CallOptions common;
    private final boolean withLogs;
    private final @Nullable Duration pollInterval;
    private final Consumer<String> onEnqueue;
    private final Consumer<Status> onQueueUpdate;
    private final @Nullable Duration clientTimeout;
    private final @Nullable StatusMode mode;

    private SubscribeOptions(Builder b) {
        this.common = b.common(b.clientTimeout);
        this.withLogs = b.withLogs;
        this.pollInterval = b.pollInterval;
        this.onEnqueue = b.onEnqueue;
        this.onQueueUpdate = b.onQueueUpdate;
        this.clientTimeout = b.clientTimeout;
        this.mode = b.mode;
    }

    public static Builder builder() {
        return new Builder();
    }

    CallOptions common() {
        return common;
    }

    boolean withLogs() {
        return withLogs;
    }

    /** {@code null}: the client's default. */
    @Nullable Duration pollInterval() {
        return pollInterval;
    }

    Consumer<String> onEnqueue() {
        return onEnqueue;
    }

    Consumer<Status> onQueueUpdate() {
        return onQueueUpdate;
    }

    /** {@code null}: the client's default wait bound. */
    @Nullable Duration clientTimeout() {
        return clientTimeout;
    }

    /** {@code null}: the client's default mode. */
    @Nullable StatusMode mode() {
        return mode;
    }

    /** Builder of {@link SubscribeOptions}. */
    public static final class Builder extends RequestOptions.QueueBuilder<Builder> {
        private boolean withLogs;
        private @Nullable Duration pollInterval;
        private Consumer<String> onEnqueue = id -> { };
        private Consumer<Status> onQueueUpdate = s -> { };
        private @Nullable Duration clientTimeout;
        private @Nullable StatusMode mode;

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /** Whether status calls ask for log lines ({@code logs=1}). */
        public Builder withLogs(boolean withLogs) {
            this.withLogs = withLogs;
            return this;
        }

        /** Interval between status polls (polling mode, and after a stream fallback). */
        public Builder pollInterval(@Nullable Duration pollInterval) {
            if (pollInterval != null && (pollInterval.isNegative() || pollInterval.isZero())) {
                throw new IllegalArgumentException("pollInterval must be positive, was " + pollInterval);
            }
            this.pollInterval = pollInterval;
            return this;
        }

        /** Called with fal's request id as soon as the submit returns, before any waiting starts. */
        public Builder onEnqueue(@Nullable Consumer<String> onEnqueue) {
            this.onEnqueue = onEnqueue == null ? id -> { } : onEnqueue;
            return this;
        }

        /** Called with every status the client observes while waiting. */
        public Builder onQueueUpdate(@Nullable Consumer<Status> onQueueUpdate) {
            this.onQueueUpdate = onQueueUpdate == null ? s -> { } : onQueueUpdate;
            return this;
        }

        /**
         * Total client-side wait (submit, queue, run, result). On expiry the client cancels the request on fal (best
         * effort) and throws {@link FalTimeoutException} carrying the request id. When no start timeout is set and
         * this is longer than one second, it is also sent as the start timeout.
         */
        public Builder clientTimeout(@Nullable Duration clientTimeout) {
            if (clientTimeout != null && (clientTimeout.isNegative() || clientTimeout.isZero())) {
                throw new IllegalArgumentException("clientTimeout must be positive, was " + clientTimeout);
            }
            this.clientTimeout = clientTimeout;
            return this;
        }

        /** How to watch the request: {@link StatusMode#STREAMING} (with polling fallback) or polling. */
        public Builder mode(@Nullable StatusMode mode) {
            this.mode = mode;
            return this;
        }

        public SubscribeOptions build() {
            return new SubscribeOptions(this);
        }
    }
}
