package dev.falclient;

import dev.falclient.internal.queue.CallOptions;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Options of a streaming run on {@code fal.run/{endpointId}/stream}. Immutable.
 *
 * <pre>{@code
 * StreamOptions options = StreamOptions.builder()
 *         .timeout(Duration.ofMinutes(5)).idleTimeout(Duration.ofSeconds(30)).build();
 * try (Stream<JsonNode> events = fal.stream("fal-ai/any-llm", input, options)) { events.forEach(System.out::println); }
 * }</pre>
 */
public final class StreamOptions {

    static final StreamOptions DEFAULTS = builder().build();

    private final CallOptions common;
    private final Duration timeout;
    private final Duration idleTimeout;
    private final Consumer<String> onRequestId;

    private StreamOptions(Builder b) {
        this.common = b.common(b.timeout);
        this.timeout = b.timeout;
        this.idleTimeout = b.idleTimeout;
        this.onRequestId = b.onRequestId;
    }

    public static Builder builder() {
        return new Builder();
    }

    CallOptions common() {
        return common;
    }

    /** {@code null} means: the client's run timeout. */
    Duration timeout() {
        return timeout;
    }

    /** {@code null} means: the client's stream idle timeout. */
    Duration idleTimeout() {
        return idleTimeout;
    }

    Consumer<String> onRequestId() {
        return onRequestId;
    }

    /** Builder of {@link StreamOptions}. */
    public static final class Builder extends RequestOptions.Builder<Builder> {
        private Duration timeout;
        private Duration idleTimeout;
        private Consumer<String> onRequestId = id -> { };

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * The streaming path after the endpoint id, replacing the default {@code stream} (as {@code path} does in
         * fal's own clients), e.g. {@code "image-to-image/stream"}. Without it, {@code /stream} is appended unless the
         * endpoint id already ends with it.
         *
         * @throws IllegalArgumentException if it has a {@code .} or {@code ..} segment
         */
        @Override
        public Builder path(String path) {
            return super.path(path);
        }

        /**
         * Client-side bound for the whole stream, from the POST to the last event (default: the client's run
         * timeout, 15 minutes). When it passes the stream ends with a {@link FalTimeoutException}. If no start
         * timeout is set and this is longer than one second, it is sent as the start timeout too.
         */
        public Builder timeout(Duration timeout) {
            this.timeout = positive(timeout, "timeout");
            return this;
        }

        /**
         * Longest silence allowed once fal has answered: between the answer and the first event, and between two
         * events; keep-alive comments count as activity (default: the client's stream idle timeout, 60 seconds).
         * Waiting for the answer itself (queueing for a runner, cold starts) is bounded by {@link #timeout}.
         */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = positive(idleTimeout, "idleTimeout");
            return this;
        }

        /**
         * Called with fal's request id ({@code x-fal-request-id}) as soon as fal answers, before the first event.
         * Failures after the answer carry the id too ({@link FalException#requestId()}).
         */
        public Builder onRequestId(Consumer<String> onRequestId) {
            this.onRequestId = onRequestId == null ? id -> { } : onRequestId;
            return this;
        }

        public StreamOptions build() {
            return new StreamOptions(this);
        }

        private static Duration positive(Duration d, String name) {
            if (d != null && (d.isNegative() || d.isZero())) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
            return d;
        }
    }
}
