package dev.falclient;

/**
 * Queue priority sent as {@code X-Fal-Queue-Priority}. Low-priority requests wait behind all normal ones.
 *
 * <pre>{@code SubmitOptions.builder().priority(Priority.LOW).build()}</pre>
 */
public enum Priority {
    NORMAL("normal"), LOW("low");

    private final String headerValue;

    Priority(String headerValue) {
        this.headerValue = headerValue;
    }

    /** The value fal expects in the header. */
    public String headerValue() {
        return headerValue;
    }
}
