package dev.falclient.emulator;

import dev.falclient.emulator.QueueJob.EndpointQueue;
import dev.falclient.emulator.QueueJob.State;
import dev.falclient.emulator.QueueJob.StatusView;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

/**
 * The emulated queue: one FIFO per endpoint ({@code [ns/]owner/alias}) with N workers, driven by one timer thread
 * (no thread per request). It knows requests, states and outcomes, not HTTP: callers map its typed answers to
 * status codes and bodies. Every state change of a request happens under its endpoint queue's monitor.
 */
final class QueueEngine {

    private static final Logger log = LoggerFactory.getLogger(QueueEngine.class);

    /** What a cancel did. */
    enum CancelOutcome { CANCELLATION_REQUESTED, ALREADY_COMPLETED, NOT_FOUND }

    /** An accepted request and its 0-based queue position at submit time. */
    record Submitted(String requestId, int position) {
    }

    /** A request that reached {@code COMPLETED} through its work or a cancel (not through a reset). */
    record Completion(String requestId, String webhookUrl, Outcome outcome) {
    }

    private final Scripts scripts;
    private final ScriptRunner runner;
    private final Duration logWindow;
    private final int logWindowLines;
    private final int maxRetained;
    private final Scheduler timer = Schedulers.newSingle("fal-emulator-timer", true);
    private final Map<String, QueueJob> byId = new ConcurrentHashMap<>();
    private final Map<String, EndpointQueue> queues = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> completedOrder = new ConcurrentLinkedQueue<>();
    private final AtomicInteger completedCount = new AtomicInteger();
    private final Sinks.Many<Completion> completions = Sinks.many().multicast().directBestEffort();

    QueueEngine(Scripts scripts, ScriptRunner runner, Duration logWindow, int logWindowLines, int maxRetained) {
        this.scripts = scripts;
        this.runner = runner;
        this.logWindow = logWindow;
        this.logWindowLines = logWindowLines;
        this.maxRetained = maxRetained;
    }

    /** Enqueues a request with a snapshot of its endpoint's script. */
    Submitted submit(String id, EndpointId endpoint, JsonNode input, String webhookUrl) {
        EndpointQueue q = queues.computeIfAbsent(endpoint.base(), EndpointQueue::new);
        QueueJob job = new QueueJob(id, endpoint, input, scripts.snapshot(endpoint.base()), webhookUrl, q);
        byId.put(id, job);
        synchronized (q) {
            q.waiting.addLast(job);
            int position = q.waiting.size() - 1;
            dispatch(q);
            return new Submitted(id, position);
        }
    }

    /** The current status; empty for an unknown id or one submitted to another endpoint. */
    Optional<StatusView> status(String id, String base, boolean withLogs) {
        return find(id, base).map(job -> {
            synchronized (job.queue) {
                return job.view(withLogs, logWindow, logWindowLines);
            }
        });
    }

    /** A status stream (see {@link QueueJob#watch}); empty for an unknown id. */
    Optional<Flux<StatusView>> watch(String id, String base, boolean withLogs) {
        return find(id, base).map(job -> Flux.defer(() -> {
            synchronized (job.queue) {
                return job.watch(withLogs);
            }
        }));
    }

    /** Removes a queued request, stops a running one; either ends COMPLETED with a cancelled outcome. */
    CancelOutcome cancel(String id, String base) {
        QueueJob job = find(id, base).orElse(null);
        if (job == null) {
            return CancelOutcome.NOT_FOUND;
        }
        Outcome cancelled = new Outcome.Cancelled();
        EndpointQueue q = job.queue;
        synchronized (q) {
            switch (job.state) {
                case COMPLETED -> {
                    return CancelOutcome.ALREADY_COMPLETED;
                }
                case IN_QUEUE -> {
                    q.waiting.remove(job);
                    job.finish(cancelled);
                    notifyWaiting(q);
                }
                case IN_PROGRESS -> {
                    job.finish(cancelled);
                    q.running--;
                    dispatch(q);
                }
            }
        }
        completed(job, cancelled);
        return CancelOutcome.CANCELLATION_REQUESTED;
    }

    /** Every completion, as it happens (no replay): where webhooks come from. */
    Flux<Completion> completions() {
        return completions.asFlux();
    }

    /** Clears every queue: pending timers are cancelled and open status streams are closed. */
    void clear() {
        for (EndpointQueue q : queues.values()) {
            synchronized (q) {
                if (q.pendingDispatch != null) {
                    q.pendingDispatch.dispose();
                }
                q.waiting.clear();
                q.running = 0;
            }
        }
        for (QueueJob job : byId.values()) {
            synchronized (job.queue) {
                job.abandon();
            }
        }
        byId.clear();
        queues.clear();
        completedOrder.clear();
        completedCount.set(0);
    }

    void shutdown() {
        clear();
        timer.dispose();
        completions.tryEmitComplete();
    }

    private Optional<QueueJob> find(String id, String base) {
        QueueJob job = byId.get(id);
        return job != null && job.endpoint.base().equals(base) ? Optional.of(job) : Optional.empty();
    }

    /** Starts waiting jobs while workers are free. Caller holds {@code q}. */
    private void dispatch(EndpointQueue q) {
        int workers = scripts.workers(q.base);
        boolean moved = false;
        while (q.running < workers && !q.waiting.isEmpty()) {
            QueueJob head = q.waiting.peekFirst();
            long wait = head.eligibleAtNanos - System.nanoTime();
            if (wait > 0) {
                if (q.pendingDispatch == null || q.pendingDispatch.isDisposed()) {
                    q.pendingDispatch = schedule(() -> {
                        synchronized (q) {
                            q.pendingDispatch = null;
                            dispatch(q);
                        }
                    }, wait);
                }
                break;
            }
            q.waiting.pollFirst();
            q.running++;
            moved = true;
            start(head);
        }
        if (moved) {
            notifyWaiting(q);
        }
    }

    /** The jobs behind moved up: their streams learn their new positions. Caller holds {@code q}. */
    private static void notifyWaiting(EndpointQueue q) {
        int i = 0;
        for (QueueJob w : q.waiting) {
            if (w.watched()) {
                w.notifyWatchers(i);
            }
            i++;
        }
    }

    /** Caller holds the job's queue. */
    private void start(QueueJob job) {
        job.start();
        long total = job.script.processingTime().toNanos();
        List<String> lines = job.script.logLines();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            job.timers.add(schedule(() -> {
                synchronized (job.queue) {
                    job.appendLog(line);
                }
            }, total * i / lines.size()));
        }
        job.timers.add(schedule(() -> complete(job), total));
    }

    private void complete(QueueJob job) {
        double seconds;
        synchronized (job.queue) {
            if (job.state != State.IN_PROGRESS) {
                return;
            }
            seconds = job.secondsRunning();
        }
        // the output function is user code: run it without holding the queue
        Outcome outcome = runner.run(job.script, job.id, job.input, seconds);
        synchronized (job.queue) {
            if (job.state != State.IN_PROGRESS) {
                return;
            }
            job.finish(outcome);
            job.queue.running--;
            dispatch(job.queue);
        }
        completed(job, outcome);
    }

    private void completed(QueueJob job, Outcome outcome) {
        completedOrder.add(job.id);
        if (completedCount.incrementAndGet() > maxRetained) {
            String oldest = completedOrder.poll();
            if (oldest != null) {
                completedCount.decrementAndGet();
                byId.remove(oldest);
            }
        }
        // completions come from the timer thread and from cancels on event loops; the sink needs them one at a time
        synchronized (completions) {
            completions.tryEmitNext(new Completion(job.id, job.webhookUrl, outcome));
        }
    }

    private Disposable schedule(Runnable task, long delayNanos) {
        try {
            return timer.schedule(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.warn("fal emulator: timer task failed", e);
                }
            }, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closed) {
            return Disposables.disposed();
        }
    }
}
