package dev.falclient.spring.autoconfigure;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the listener callbacks the listener executor rejected (its queue full, or shut down): the client then drops
 * that callback rather than run it on the calling thread, which may be a Netty event loop, and logs a rate-limited
 * WARN. Exposed as the {@value #DROPPED_METER} meter. Deliberately not an {@link Executor} bean.
 */
final class FalListenerDrops {

    /** Function counter of listener callbacks (and so application events) dropped because the executor was full. */
    static final String DROPPED_METER = "fal.events.dropped";

    private final AtomicLong dropped = new AtomicLong();

    /** {@code executor}, counting each task it rejects (the rejection still reaches the client). */
    Executor counting(Executor executor) {
        return task -> {
            try {
                executor.execute(task);
            } catch (RejectedExecutionException e) {
                dropped.incrementAndGet();
                throw e;
            }
        };
    }

    /** Tasks rejected since this counter was created (each one listener callback the client dropped). */
    long dropped() {
        return dropped.get();
    }

    @Override
    public String toString() {
        return "FalListenerDrops[" + dropped + "]";
    }
}
