package dev.falclient;

/**
 * Options of a direct (non-queued) run on {@code fal.run}. Immutable.
 *
 * <pre>{@code
 * JsonNode out = fal.run("fal-ai/fast-sdxl", input, RunOptions.builder().timeout(Duration.ofMinutes(2)).build());
 * }</pre>
 */
public final class RunOptions extends DirectOptions {

    static final RunOptions DEFAULTS = builder().build();

    private RunOptions(Builder b) {
        super(b);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder of {@link RunOptions}; {@code timeout} and {@code onRequestId} as for every direct call. */
    public static final class Builder extends RequestOptions.DirectBuilder<Builder> {

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        public RunOptions build() {
            return new RunOptions(this);
        }
    }
}
