package dev.falclient;

import java.time.Duration;

/**
 * Options of a streaming run on {@code fal.run/{endpointId}/stream}. Immutable.
 *
 * <pre>{@code
 * StreamOptions options = StreamOptions.builder()
 *         .timeout(Duration.ofMinutes(5)).idleTimeout(Duration.ofSeconds(30)).build();
 * try (Stream<JsonNode> events = fal.stream("fal-ai/any-llm", input, options)) { events.forEach(System.out::println); }
 * }</pre>
 */
public final class StreamOptions extends DirectOptions {

    static final StreamOptions DEFAULTS = builder().build();

    private final Duration idleTimeout;

    private StreamOptions(Builder b) {
        super(b);
        this.idleTimeout = b.idleTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code null} means: the client's stream idle timeout. */
    Duration idleTimeout() {
        return idleTimeout;
    }

    /** Builder of {@link StreamOptions}; {@code timeout} and {@code onRequestId} as for every direct call. */
    public static final class Builder extends RequestOptions.DirectBuilder<Builder> {
        private Duration idleTimeout;

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
         * Longest silence allowed once fal has answered: between the answer and the first event, and between two
         * events; keep-alive comments count as activity (default: the client's stream idle timeout, 60 seconds).
         * Waiting for the answer itself (queueing for a runner, cold starts) is bounded by {@link #timeout(Duration)}.
         */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = RequestOptions.positive(idleTimeout, "idleTimeout");
            return this;
        }

        public StreamOptions build() {
            return new StreamOptions(this);
        }
    }
}
