package dev.falclient.webhook;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers the most recent {@code capacity} request ids of this process (fal's retries of a delivery span about
 * 2 hours; size the window for the requests completed in that time). Thread-safe.
 *
 * <pre>{@code FalWebhookDeduplicator dedup = new InMemoryFalWebhookDeduplicator(10_000);}</pre>
 */
public final class InMemoryFalWebhookDeduplicator implements FalWebhookDeduplicator {

    /** The default window. */
    public static final int DEFAULT_CAPACITY = 10_000;

    private final Map<String, Boolean> seen;

    /** A window of {@value #DEFAULT_CAPACITY} requests. */
    public InMemoryFalWebhookDeduplicator() {
        this(DEFAULT_CAPACITY);
    }

    /** A window of {@code capacity} requests. */
    public InMemoryFalWebhookDeduplicator(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive, was " + capacity);
        }
        this.seen = new LinkedHashMap<>(64, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public synchronized boolean firstDelivery(String requestId) {
        return seen.put(requestId, Boolean.TRUE) == null;
    }

    @Override
    public synchronized void forget(String requestId) {
        seen.remove(requestId);
    }
}
