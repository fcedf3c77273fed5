package dev.falclient;

import dev.falclient.internal.queue.CallOptions;
import java.time.Duration;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Options of a direct (non-queued) run on {@code fal.run}. Immutable.
 *
 * <pre>{@code
 * JsonNode out = fal.run("fal-ai/fast-sdxl", input, RunOptions.builder().timeout(Duration.ofMinutes(2)).build());
 * }</pre>
 */
public final class RunOptions {

    static final RunOptions DEFAULTS = builder().build();

    private final CallOptions common;
    private final @Nullable Duration timeout;
    private final Consumer<String> onRequestId;

    private RunOptions(Builder b) {
        this.common = b.common(b.timeout);
        this.timeout = b.timeout;
        this.onRequestId = b.onRequestId;
    }

    public static Builder builder() {
        return new Builder();
    }

    CallOptions common() {
        return common;
    }

    /** {@code null} means: the client's run timeout. */
    @Nullable Duration timeout() {
        return timeout;
    }

    Consumer<String> onRequestId() {
        return onRequestId;
    }

    /** Builder of {@link RunOptions}. */
    public static final class Builder extends RequestOptions.Builder<Builder> {
        private @Nullable Duration timeout;
        private Consumer<String> onRequestId = id -> { };

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * Client-side bound for the whole call (default: the client's run timeout, 15 minutes). A direct run holds
         * the connection open until the model finishes, so set this above the model's expected run time. If no start
         * timeout is set and this is longer than one second, it is sent as the start timeout too.
         */
        public Builder timeout(@Nullable Duration timeout) {
            if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * Called with fal's request id ({@code x-fal-request-id}) as soon as the run's answer arrives, before its
         * output is read. Failures carry the id too ({@link FalException#requestId()}).
         */
        public Builder onRequestId(@Nullable Consumer<String> onRequestId) {
            this.onRequestId = onRequestId == null ? id -> { } : onRequestId;
            return this;
        }

        public RunOptions build() {
            return new RunOptions(this);
        }
    }
}
