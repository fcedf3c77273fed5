package dev.falclient.internal.observe;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs tasks one at a time, in submission order, on a shared executor. */
final class SerialExecutor implements Executor {

    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);
    private final Executor delegate;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();

    SerialExecutor(Executor delegate) {
        this.delegate = delegate;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (pending.getAndIncrement() == 0) {
            try {
                delegate.execute(this::drain);
            } catch (RejectedExecutionException e) {
                // an overloaded executor must not silence this request's later callbacks
                log.warn("fal listener executor rejected a task; delivering on the calling thread");
                drain();
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

