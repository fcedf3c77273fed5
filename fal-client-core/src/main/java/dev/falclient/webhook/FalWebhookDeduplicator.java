package dev.falclient.webhook;

/**
 * Decides whether a verified delivery is the first of its request: fal retries a delivery (up to 10 times over
 * about 2 hours) and may deliver one more than once, so a receiver handles each request once. The default,
 * {@link InMemoryFalWebhookDeduplicator}, remembers a bounded window of recent requests of one process; back it with
 * your database or Redis (an insert of the request id that fails on a duplicate) to deduplicate across instances.
 *
 * <pre>{@code
 * FalWebhookDeduplicator dedup = requestId -> redis.opsForValue().setIfAbsent("fal:" + requestId, "1", Duration.ofHours(3));
 * }</pre>
 */
@FunctionalInterface
public interface FalWebhookDeduplicator {

    /**
     * Records the request and says whether this is its first delivery. Atomic: of concurrent calls for one request
     * exactly one returns {@code true}.
     */
    boolean firstDelivery(String requestId);

    /**
     * Forgets the request after its handling failed, so that fal's next attempt is handled again. Does nothing by
     * default.
     */
    default void forget(String requestId) {
    }
}
