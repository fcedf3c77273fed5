package dev.falclient.internal.observe;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared executor. A task is never run on the thread that
 * hands it over (which may be a Netty event loop): when the shared executor rejects the drain, the oldest waiting
 * task is dropped and reported to {@code onDrop}, and the next one is offered again. Tasks that do run keep their
 * order.
 */
final class SerialExecutor implements Executor {

    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);
    private final Executor delegate;
    private final Runnable onDrop;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();

    SerialExecutor(Executor delegate, Runnable onDrop) {
        this.delegate = delegate;
        this.onDrop = onDrop;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (pending.getAndIncrement() == 0) {
            schedule();
        }
    }

    /** Called by the one thread that owns the queue (pending went from 0, or a drain is being handed back). */
    private void schedule() {
        while (true) {
            try {
                delegate.execute(this::drain);
                return;
            } catch (RejectedExecutionException e) {
                tasks.poll();
                onDrop.run();
                if (pending.decrementAndGet() == 0) {
                    return;
                }
            }
        }
    }

    private void drain() {
        do {
            Runnable task = tasks.poll();
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("fal listener task failed", e);
            }
        } while (pending.decrementAndGet() != 0);
    }
}
