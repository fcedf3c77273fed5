package dev.falclient;

import dev.falclient.internal.queue.CallOptions;
import java.time.Duration;

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
    private final Duration timeout;

    private RunOptions(Builder b) {
        this.common = b.common(b.timeout);
        this.timeout = b.timeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    CallOptions common() {
        return common;
    }

    /** {@code null} means: the client's response timeout. */
    Duration timeout() {
        return timeout;
    }

    /** Builder of {@link RunOptions}. */
    public static final class Builder extends RequestOptions.Builder<Builder> {
        private Duration timeout;

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * Client-side bound for the whole call. A direct run holds the connection open until the model finishes, so
         * set this above the model's expected run time. If no start timeout is set and this is longer than one
         * second, it is sent as the start timeout too.
         */
        public Builder timeout(Duration timeout) {
            if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        public RunOptions build() {
            return new RunOptions(this);
        }
    }
}
