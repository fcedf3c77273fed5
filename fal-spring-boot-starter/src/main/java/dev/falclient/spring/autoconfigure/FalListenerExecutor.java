package dev.falclient.spring.autoconfigure;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.beans.factory.DisposableBean;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The starter-owned, bounded executor the client delivers listener calls (and so application events) on: a
 * Reactor bounded-elastic scheduler with threads named {@code fal-events-*}, disposed when the context closes
 * (after the client, which depends on it). Deliberately not an {@link java.util.concurrent.Executor} bean, so it
 * never shadows the application's task executor.
 *
 * <p>When its queue is full (or it is disposed) it rejects the task, counted in {@link #dropped()} (the
 * {@value #DROPPED_METER} meter): the client then drops that callback rather than run it on the calling thread,
 * which may be a Netty event loop, and logs a rate-limited WARN.
 */
final class FalListenerExecutor implements DisposableBean {

    static final String THREAD_PREFIX = "fal-events";
    /** Function counter of listener callbacks (and so application events) dropped because this executor was full. */
    static final String DROPPED_METER = "fal.events.dropped";

    private final Scheduler scheduler;
    private final AtomicLong dropped = new AtomicLong();

    FalListenerExecutor(int threads, int queueCapacity) {
        this.scheduler = Schedulers.newBoundedElastic(threads, queueCapacity, THREAD_PREFIX, 60, true);
    }

    /**
     * Runs {@code task} on a {@code fal-events} thread. When the queue is full (or the executor was disposed) it
     * counts the rejection and throws {@link RejectedExecutionException}, never running the task on the calling
     * thread: the client drops that callback (keeping the order of the ones it delivers) and logs a WARN.
     */
    void execute(Runnable task) {
        try {
            scheduler.schedule(task);
        } catch (RejectedExecutionException e) {
            dropped.incrementAndGet();
            throw e;
        }
    }

    /** Tasks rejected since this executor was created (each one listener callback the client dropped). */
    long dropped() {
        return dropped.get();
    }

    @Override
    public void destroy() {
        try {
            scheduler.disposeGracefully().timeout(Duration.ofSeconds(5)).block();
        } catch (RuntimeException e) {
            scheduler.dispose();
        }
    }

    @Override
    public String toString() {
        return "FalListenerExecutor[" + scheduler + "]";
    }
}
