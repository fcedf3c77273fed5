package dev.falclient.spring.autoconfigure;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The starter-owned, bounded executor the client delivers listener calls (and so application events) on: a
 * Reactor bounded-elastic scheduler with threads named {@code fal-events-*}, disposed when the context closes
 * (after the client, which depends on it). Deliberately not an {@link java.util.concurrent.Executor} bean, so it
 * never shadows the application's task executor.
 */
final class FalListenerExecutor implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(FalListenerExecutor.class);
    static final String THREAD_PREFIX = "fal-events";

    private final Scheduler scheduler;
    private final AtomicBoolean warned = new AtomicBoolean();

    FalListenerExecutor(int threads, int queueCapacity) {
        this.scheduler = Schedulers.newBoundedElastic(threads, queueCapacity, THREAD_PREFIX, 60, true);
    }

    /**
     * Runs {@code task} on a {@code fal-events} thread. When the queue is full (or the executor was disposed)
     * the task runs on the calling thread instead of being dropped: the core's per-request ordering relies on every
     * handed-over task running.
     */
    void execute(Runnable task) {
        try {
            scheduler.schedule(task);
        } catch (RejectedExecutionException e) {
            if (warned.compareAndSet(false, true)) {
                log.warn("fal event delivery queue is full or closed; delivering on the calling thread "
                        + "(raise fal.events.threads or fal.events.queue-capacity, or make listeners faster)");
            }
            task.run();
        }
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
