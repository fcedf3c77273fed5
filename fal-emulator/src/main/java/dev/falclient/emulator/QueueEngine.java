package dev.falclient.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The emulated queue: one FIFO per endpoint ({@code [ns/]owner/alias}) with N workers, driven by one shared
 * scheduled executor (no thread per request). Every state change of a request happens under its endpoint queue's
 * monitor.
 */
final class QueueEngine {

    private static final Logger log = LoggerFactory.getLogger(QueueEngine.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    enum State { IN_QUEUE, IN_PROGRESS, COMPLETED }

    /** How a request ended. */
    sealed interface Outcome permits Success, Failed, Invalid, Cancelled {
    }

    record Success(JsonNode output) implements Outcome {
    }

    record Failed(EndpointScript.Failure failure) implements Outcome {
    }

    record Invalid(JsonNode body) implements Outcome {
    }

    record Cancelled() implements Outcome {
    }

    record LogEntry(Instant time, String message) {
    }

    /** Call-backs into the emulator. */
    interface Host {
        EndpointScript scriptOrNull(String base);

        EndpointScript.Snapshot snapshot(String base);

        int defaultWorkers();

        JsonNode defaultOutput(String requestId, JsonNode input, double seconds);

        void completed(Req req);

        String queueUrl();
    }

    final class EndpointQueue {
        final String key;
        final ArrayDeque<Req> waiting = new ArrayDeque<>();
        int running;
        ScheduledFuture<?> pendingDispatch;

        EndpointQueue(String key) {
            this.key = key;
        }
    }

    final class Listener {
        final boolean logs;
        final Sinks.Many<String> sink = Sinks.many().unicast().onBackpressureBuffer();
        int sentLogs;
        int lastPosition = -1;
        State lastState;

        Listener(boolean logs) {
            this.logs = logs;
        }
    }

    final class Req {
        final String id;
        final EndpointId endpoint;
        final JsonNode input;
        final EndpointScript.Snapshot script;
        final String webhookUrl;
        final EndpointQueue queue;
        final Instant submittedAt = Instant.now();
        final long eligibleAtNanos;
        final List<LogEntry> logs = new ArrayList<>();
        final List<ScheduledFuture<?>> timers = new ArrayList<>();
        final List<Listener> listeners = new ArrayList<>(1);
        State state = State.IN_QUEUE;
        Instant startedAt;
        Instant completedAt;
        Outcome outcome;

        Req(String id, EndpointId endpoint, JsonNode input, EndpointScript.Snapshot script, String webhookUrl,
            EndpointQueue queue) {
            this.id = id;
            this.endpoint = endpoint;
            this.input = input;
            this.script = script;
            this.webhookUrl = webhookUrl;
            this.queue = queue;
            this.eligibleAtNanos = System.nanoTime() + script.queueTime().toNanos();
        }

        String responseUrl() {
            return host.queueUrl() + "/" + endpoint.base() + "/requests/" + id;
        }
    }

    /** A status answer: HTTP status plus JSON. */
    record StatusAnswer(int httpStatus, ObjectNode body) {
    }

    private final Host host;
    private final Duration logWindow;
    private final int logWindowLines;
    private final int maxRetained;
    private final ScheduledThreadPoolExecutor timer;
    private final Map<String, Req> byId = new ConcurrentHashMap<>();
    private final Map<String, EndpointQueue> queues = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> completedOrder = new ConcurrentLinkedQueue<>();
    private final AtomicInteger completedCount = new AtomicInteger();

    QueueEngine(Host host, Duration logWindow, int logWindowLines, int maxRetained) {
        this.host = host;
        this.logWindow = logWindow;
        this.logWindowLines = logWindowLines;
        this.maxRetained = maxRetained;
        AtomicInteger n = new AtomicInteger();
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "fal-emulator-timer-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.timer.setRemoveOnCancelPolicy(true);
        this.timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    // ------------------------------------------------------------------ submit / lookup

    /** Enqueues a request; returns it with its 0-based queue position at submit time. */
    Req submit(String id, EndpointId endpoint, JsonNode input, String webhookUrl, int[] positionOut) {
        EndpointQueue q = queues.computeIfAbsent(endpoint.base(), EndpointQueue::new);
        Req r = new Req(id, endpoint, input, host.snapshot(endpoint.base()), webhookUrl, q);
        byId.put(id, r);
        synchronized (q) {
            q.waiting.addLast(r);
            positionOut[0] = q.waiting.size() - 1;
            dispatch(q);
        }
        return r;
    }

    Req find(String id) {
        return byId.get(id);
    }

    int size() {
        return byId.size();
    }

    // ------------------------------------------------------------------ state machine

    private void dispatch(EndpointQueue q) {
        // caller holds q
        int workers = workers(q);
        boolean moved = false;
        while (q.running < workers && !q.waiting.isEmpty()) {
            Req head = q.waiting.peekFirst();
            long wait = head.eligibleAtNanos - System.nanoTime();
            if (wait > 0) {
                if (q.pendingDispatch == null || q.pendingDispatch.isDone()) {
                    q.pendingDispatch = schedule(() -> {
                        synchronized (q) {
                            q.pendingDispatch = null;
                            dispatch(q);
                        }
                    }, wait, TimeUnit.NANOSECONDS);
                }
                break;
            }
            q.waiting.pollFirst();
            q.running++;
            moved = true;
            start(head);
        }
        if (moved) {
            int i = 0;
            for (Req r : q.waiting) {
                if (!r.listeners.isEmpty()) {
                    notifyListeners(r, i);
                }
                i++;
            }
        }
    }

    private int workers(EndpointQueue q) {
        EndpointScript s = host.scriptOrNull(q.key);
        return s == null ? host.defaultWorkers() : s.workersOr(host.defaultWorkers());
    }

    private void start(Req r) {
        // caller holds r.queue
        r.state = State.IN_PROGRESS;
        r.startedAt = Instant.now();
        long total = r.script.processingTime().toNanos();
        List<String> lines = r.script.logLines();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            long at = total * i / lines.size();
            r.timers.add(schedule(() -> appendLog(r, line), at, TimeUnit.NANOSECONDS));
        }
        r.timers.add(schedule(() -> complete(r), total, TimeUnit.NANOSECONDS));
        notifyListeners(r, -1);
    }

    private void appendLog(Req r, String line) {
        synchronized (r.queue) {
            if (r.state != State.IN_PROGRESS) {
                return;
            }
            r.logs.add(new LogEntry(Instant.now(), line));
            notifyListeners(r, -1);
        }
    }

    private void complete(Req r) {
        double seconds;
        synchronized (r.queue) {
            if (r.state != State.IN_PROGRESS) {
                return;
            }
            seconds = Duration.between(r.startedAt, Instant.now()).toNanos() / 1e9;
        }
        Outcome outcome = computeOutcome(r.script, r.id, r.input, seconds);
        synchronized (r.queue) {
            if (r.state != State.IN_PROGRESS) {
                return;
            }
            finish(r, outcome);
            r.queue.running--;
            dispatch(r.queue);
        }
        afterCompletion(r);
    }

    /** Outcome of running a script on an input (used by the queue and by direct runs). */
    Outcome computeOutcome(EndpointScript.Snapshot script, String id, JsonNode input, double seconds) {
        if (script.failure() != null) {
            return new Failed(script.failure());
        }
        if (script.validationBody() != null) {
            return new Invalid(script.validationBody());
        }
        try {
            JsonNode out = script.output() == null
                    ? host.defaultOutput(id, input, seconds)
                    : script.output().apply(input.deepCopy());
            return new Success(out == null ? NODES.nullNode() : out);
        } catch (RuntimeException e) {
            log.debug("fal emulator: scripted output function failed for {}", id, e);
            return new Failed(new EndpointScript.Failure(String.valueOf(e), "runner_server_error", 500,
                    NODES.objectNode().put("detail", "Internal Server Error: " + e)
                            .put("error_type", "runner_server_error")));
        }
    }

    private void finish(Req r, Outcome outcome) {
        // caller holds r.queue
        r.state = State.COMPLETED;
        r.completedAt = Instant.now();
        r.outcome = outcome;
        r.timers.forEach(t -> t.cancel(false));
        r.timers.clear();
        notifyListeners(r, -1);
        r.listeners.clear();
    }

    private void afterCompletion(Req r) {
        completedOrder.add(r.id);
        if (completedCount.incrementAndGet() > maxRetained) {
            String oldest = completedOrder.poll();
            if (oldest != null) {
                completedCount.decrementAndGet();
                byId.remove(oldest);
            }
        }
        try {
            host.completed(r);
        } catch (RuntimeException e) {
            log.debug("fal emulator: completion hook failed", e);
        }
    }

    /** Cancels; returns 202, 400 or 404 with the cancel body status. */
    String[] cancel(Req r) {
        boolean done;
        synchronized (r.queue) {
            switch (r.state) {
                case COMPLETED -> {
                    return new String[] {"400", "ALREADY_COMPLETED"};
                }
                case IN_QUEUE -> {
                    r.queue.waiting.remove(r);
                    finish(r, new Cancelled());
                    int i = 0;
                    for (Req w : r.queue.waiting) {
                        if (!w.listeners.isEmpty()) {
                            notifyListeners(w, i);
                        }
                        i++;
                    }
                }
                case IN_PROGRESS -> {
                    finish(r, new Cancelled());
                    r.queue.running--;
                    dispatch(r.queue);
                }
            }
            done = true;
        }
        if (done) {
            afterCompletion(r);
        }
        return new String[] {"202", "CANCELLATION_REQUESTED"};
    }

    // ------------------------------------------------------------------ status

    StatusAnswer status(Req r, boolean withLogs) {
        synchronized (r.queue) {
            List<LogEntry> logs = null;
            if (withLogs && r.state != State.IN_QUEUE) {
                logs = window(r.logs);
            }
            int pos = r.state == State.IN_QUEUE ? position(r) : -1;
            return new StatusAnswer(r.state == State.COMPLETED ? 200 : 202, statusBody(r, pos, logs));
        }
    }

    private List<LogEntry> window(List<LogEntry> all) {
        Instant from = Instant.now().minus(logWindow);
        List<LogEntry> out = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0 && out.size() < logWindowLines; i--) {
            LogEntry e = all.get(i);
            if (e.time().isBefore(from)) {
                break;
            }
            out.add(0, e);
        }
        return out;
    }

    private int position(Req r) {
        int i = 0;
        for (Iterator<Req> it = r.queue.waiting.iterator(); it.hasNext(); i++) {
            if (it.next() == r) {
                return i;
            }
        }
        return 0;
    }

    ObjectNode statusBody(Req r, int position, List<LogEntry> logs) {
        ObjectNode n = NODES.objectNode();
        n.put("status", r.state.name());
        n.put("request_id", r.id);
        n.put("response_url", r.responseUrl());
        n.put("status_url", r.responseUrl() + "/status");
        n.put("cancel_url", r.responseUrl() + "/cancel");
        switch (r.state) {
            case IN_QUEUE -> n.put("queue_position", position);
            case IN_PROGRESS -> putLogs(n, logs);
            case COMPLETED -> {
                putLogs(n, logs);
                ObjectNode metrics = n.putObject("metrics");
                if (r.startedAt != null) {
                    metrics.put("inference_time", Duration.between(r.startedAt, r.completedAt).toNanos() / 1e9);
                } else {
                    metrics.putNull("inference_time");
                }
                if (r.outcome instanceof Failed f) {
                    n.put("error", f.failure().error());
                    if (f.failure().errorType() != null) {
                        n.put("error_type", f.failure().errorType());
                    }
                } else if (r.outcome instanceof Cancelled) {
                    n.put("error", "Cancelled");
                    n.put("error_type", "client_cancelled");
                }
            }
        }
        return n;
    }

    private static void putLogs(ObjectNode n, List<LogEntry> logs) {
        if (logs == null) {
            n.putNull("logs");
            return;
        }
        ArrayNode arr = n.putArray("logs");
        for (LogEntry e : logs) {
            arr.addObject().put("message", e.message()).put("level", "INFO").put("source", "USER")
                    .put("timestamp", e.time().toString());
        }
    }

    /** Server-sent status events: one per change, the last one COMPLETED, then completion. */
    Flux<String> statusStream(Req r, boolean withLogs) {
        return Flux.defer(() -> {
            Listener l = new Listener(withLogs);
            synchronized (r.queue) {
                emit(r, l, r.state == State.IN_QUEUE ? position(r) : -1, true);
                if (r.state != State.COMPLETED) {
                    r.listeners.add(l);
                }
            }
            return l.sink.asFlux().doFinally(s -> {
                synchronized (r.queue) {
                    r.listeners.remove(l);
                }
            });
        });
    }

    private void notifyListeners(Req r, int position) {
        // caller holds r.queue
        if (r.listeners.isEmpty()) {
            return;
        }
        int pos = r.state == State.IN_QUEUE && position < 0 ? position(r) : position;
        for (Listener l : List.copyOf(r.listeners)) {
            emit(r, l, pos, false);
        }
    }

    private void emit(Req r, Listener l, int position, boolean force) {
        // caller holds r.queue
        List<LogEntry> newLogs = null;
        boolean changed = force || l.lastState != r.state;
        switch (r.state) {
            case IN_QUEUE -> changed |= position != l.lastPosition;
            case IN_PROGRESS, COMPLETED -> {
                if (l.logs) {
                    newLogs = new ArrayList<>(r.logs.subList(Math.min(l.sentLogs, r.logs.size()), r.logs.size()));
                    changed |= !newLogs.isEmpty();
                }
            }
        }
        if (r.state == State.COMPLETED) {
            changed = true;
        }
        if (!changed) {
            return;
        }
        if (newLogs != null) {
            l.sentLogs = r.logs.size();
        }
        l.lastState = r.state;
        l.lastPosition = position;
        l.sink.tryEmitNext("data: " + statusBody(r, position, newLogs) + "\n\n");
        if (r.state == State.COMPLETED) {
            l.sink.tryEmitComplete();
        }
    }

    // ------------------------------------------------------------------ lifecycle

    ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
        try {
            return timer.schedule(() -> {
                try {
                    task.run();
                } catch (Throwable e) {
                    log.warn("fal emulator: timer task failed", e);
                }
            }, Math.max(0, delay), unit);
        } catch (RejectedExecutionException closed) {
            return CANCELLED;
        }
    }

    private static final ScheduledFuture<?> CANCELLED = new CancelledFuture();

    /** Clears every queue: pending timers are cancelled and open status streams are closed. */
    void clear() {
        for (EndpointQueue q : queues.values()) {
            synchronized (q) {
                if (q.pendingDispatch != null) {
                    q.pendingDispatch.cancel(false);
                }
                q.waiting.clear();
                q.running = 0;
            }
        }
        for (Req r : byId.values()) {
            synchronized (r.queue) {
                r.timers.forEach(t -> t.cancel(false));
                r.timers.clear();
                for (Listener l : r.listeners) {
                    l.sink.tryEmitComplete();
                }
                r.listeners.clear();
                if (r.state != State.COMPLETED) {
                    r.state = State.COMPLETED;
                    r.completedAt = Instant.now();
                    r.outcome = new Cancelled();
                }
            }
        }
        byId.clear();
        queues.clear();
        completedOrder.clear();
        completedCount.set(0);
    }

    void shutdown() {
        clear();
        timer.shutdownNow();
    }

    /** A future that is already cancelled (returned when the timer is shut down). */
    private static final class CancelledFuture implements ScheduledFuture<Object> {
        @Override
        public long getDelay(TimeUnit unit) {
            return 0;
        }

        @Override
        public int compareTo(java.util.concurrent.Delayed o) {
            return 0;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return false;
        }

        @Override
        public boolean isCancelled() {
            return true;
        }

        @Override
        public boolean isDone() {
            return true;
        }

        @Override
        public Object get() {
            return null;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return null;
        }
    }
}
