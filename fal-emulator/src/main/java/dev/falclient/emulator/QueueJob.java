package dev.falclient.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;

/**
 * One request in the emulated queue and the status streams watching it. Every field that changes is guarded by the
 * monitor of its {@link EndpointQueue}; methods that say so expect the caller to hold it.
 */
final class QueueJob {

    enum State { IN_QUEUE, IN_PROGRESS, COMPLETED }

    record LogEntry(Instant time, String message) {
    }

    /**
     * A request as one status answer or one stream event shows it.
     *
     * @param position      0-based queue position while {@code IN_QUEUE}, else -1
     * @param logs          the log entries to show, or {@code null} when the caller did not ask for logs
     * @param inferenceTime set once {@code COMPLETED}; {@code null} when the request never ran
     * @param outcome       set once {@code COMPLETED}
     */
    record StatusView(String requestId, String endpointBase, State state, int position, List<LogEntry> logs,
                      Duration inferenceTime, Outcome outcome) {
    }

    /** One FIFO per {@code [ns/]owner/alias}; its monitor guards the queue and every job in it. */
    static final class EndpointQueue {
        final String base;
        final ArrayDeque<QueueJob> waiting = new ArrayDeque<>();
        int running;
        Disposable pendingDispatch;

        EndpointQueue(String base) {
            this.base = base;
        }

        int positionOf(QueueJob job) {
            int i = 0;
            for (QueueJob w : waiting) {
                if (w == job) {
                    return i;
                }
                i++;
            }
            return 0;
        }
    }

    /** One open status stream: remembers what it has sent so that each event carries only what changed. */
    private static final class Watcher {
        final boolean logs;
        // unbounded, but a job emits at most one event per log line, per position and per state
        final Sinks.Many<StatusView> sink = Sinks.many().unicast().onBackpressureBuffer();
        int sentLogs;
        int lastPosition = -1;
        State lastState;

        Watcher(boolean logs) {
            this.logs = logs;
        }
    }

    final String id;
    final EndpointId endpoint;
    final JsonNode input;
    final EndpointScript.Snapshot script;
    final String webhookUrl;
    final EndpointQueue queue;
    final long eligibleAtNanos;
    final Disposable.Composite timers = Disposables.composite();
    private final List<LogEntry> logs = new ArrayList<>();
    private final List<Watcher> watchers = new ArrayList<>(1);
    State state = State.IN_QUEUE;
    private Instant startedAt;
    private Instant completedAt;
    private Outcome outcome;

    QueueJob(String id, EndpointId endpoint, JsonNode input, EndpointScript.Snapshot script, String webhookUrl,
             EndpointQueue queue) {
        this.id = id;
        this.endpoint = endpoint;
        this.input = input;
        this.script = script;
        this.webhookUrl = webhookUrl;
        this.queue = queue;
        this.eligibleAtNanos = System.nanoTime() + script.queueTime().toNanos();
    }

    /** Caller holds the queue. */
    void start() {
        state = State.IN_PROGRESS;
        startedAt = Instant.now();
        notifyWatchers(-1);
    }

    /** Caller holds the queue. */
    void appendLog(String line) {
        if (state == State.IN_PROGRESS) {
            logs.add(new LogEntry(Instant.now(), line));
            notifyWatchers(-1);
        }
    }

    /** Seconds since the job started. Caller holds the queue. */
    double secondsRunning() {
        return Duration.between(startedAt, Instant.now()).toNanos() / 1e9;
    }

    /** Ends the job: stops its timers, sends the last event and closes its streams. Caller holds the queue. */
    void finish(Outcome how) {
        state = State.COMPLETED;
        completedAt = Instant.now();
        outcome = how;
        timers.dispose();
        notifyWatchers(-1);
        watchers.clear();
    }

    /** Ends the job without a last event, as a reset does. Caller holds the queue. */
    void abandon() {
        timers.dispose();
        // a copy: completing a sink runs its doFinally, which removes the watcher from the list on this same thread
        List.copyOf(watchers).forEach(w -> w.sink.tryEmitComplete());
        watchers.clear();
        if (state != State.COMPLETED) {
            state = State.COMPLETED;
            completedAt = Instant.now();
            outcome = new Outcome.Cancelled();
        }
    }

    /** The status answer: logs only from the window (newest {@code maxLines} not older than {@code window}). */
    StatusView view(boolean withLogs, Duration window, int maxLines) {
        List<LogEntry> shown = withLogs && state != State.IN_QUEUE ? window(window, maxLines) : null;
        return view(state == State.IN_QUEUE ? queue.positionOf(this) : -1, shown);
    }

    /** Opens a status stream: the current state first, then one event per change, the last one COMPLETED. */
    Flux<StatusView> watch(boolean withLogs) {
        Watcher w = new Watcher(withLogs);
        emit(w, state == State.IN_QUEUE ? queue.positionOf(this) : -1, true);
        if (state != State.COMPLETED) {
            watchers.add(w);
        }
        return w.sink.asFlux().doFinally(s -> {
            synchronized (queue) {
                watchers.remove(w);
            }
        });
    }

    boolean watched() {
        return !watchers.isEmpty();
    }

    /** Tells the streams about a change; {@code position} -1 looks it up. Caller holds the queue. */
    void notifyWatchers(int position) {
        if (watchers.isEmpty()) {
            return;
        }
        int pos = state == State.IN_QUEUE && position < 0 ? queue.positionOf(this) : position;
        for (Watcher w : List.copyOf(watchers)) {
            emit(w, pos, false);
        }
    }

    private void emit(Watcher w, int position, boolean force) {
        List<LogEntry> newLogs = null;
        boolean changed = force || w.lastState != state || state == State.COMPLETED;
        if (state == State.IN_QUEUE) {
            changed |= position != w.lastPosition;
        } else if (w.logs) {
            newLogs = new ArrayList<>(logs.subList(Math.min(w.sentLogs, logs.size()), logs.size()));
            changed |= !newLogs.isEmpty();
            w.sentLogs = logs.size();
        }
        if (!changed) {
            return;
        }
        w.lastState = state;
        w.lastPosition = position;
        w.sink.tryEmitNext(view(position, newLogs));
        if (state == State.COMPLETED) {
            w.sink.tryEmitComplete();
        }
    }

    private StatusView view(int position, List<LogEntry> shownLogs) {
        Duration inference = state == State.COMPLETED && startedAt != null
                ? Duration.between(startedAt, completedAt) : null;
        return new StatusView(id, endpoint.base(), state, position, shownLogs == null ? null : List.copyOf(shownLogs),
                inference, outcome);
    }

    private List<LogEntry> window(Duration window, int maxLines) {
        Instant from = Instant.now().minus(window);
        ArrayDeque<LogEntry> out = new ArrayDeque<>();
        for (int i = logs.size() - 1; i >= 0 && out.size() < maxLines; i--) {
            LogEntry e = logs.get(i);
            if (e.time().isBefore(from)) {
                break;
            }
            out.addFirst(e);
        }
        return List.copyOf(out);
    }
}
