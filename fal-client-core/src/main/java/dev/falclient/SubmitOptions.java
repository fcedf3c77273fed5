package dev.falclient;

import dev.falclient.internal.queue.CallOptions;
import org.jspecify.annotations.Nullable;

/**
 * Options of a queue submit. Immutable.
 *
 * <pre>{@code
 * var options = SubmitOptions.builder().webhookUrl("https://example.com/fal").priority(Priority.LOW).build();
 * SyncRequestHandle handle = fal.submit("fal-ai/flux/dev", input, options);
 * }</pre>
 */
public final class SubmitOptions {

    static final SubmitOptions DEFAULTS = builder().build();

    private final CallOptions common;
    private final @Nullable Boolean track;

    private SubmitOptions(Builder b) {
        this.common = b.common();
        this.track = b.track;
    }

    public static Builder builder() {
        return new Builder();
    }

    CallOptions common() {
        return common;
    }

    /** {@code null} means: the client's default. */
    @Nullable Boolean track() {
        return track;
    }

    /** Builder of {@link SubmitOptions}. */
    public static final class Builder extends RequestOptions.QueueBuilder<Builder> {
        private @Nullable Boolean track;

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * Whether the client watches the request in the background until it completes, fetches its result and
         * reports every transition to its {@link FalRequestListener}s (the Spring starter turns them into events).
         */
        public Builder track(boolean track) {
            this.track = track;
            return this;
        }

        public SubmitOptions build() {
            return new SubmitOptions(this);
        }
    }
}
