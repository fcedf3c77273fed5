package dev.falclient.internal.observe;

import dev.falclient.Completed;
import dev.falclient.FalException;
import dev.falclient.FalRequest;
import dev.falclient.FalRequestListener;
import dev.falclient.InProgress;
import dev.falclient.Queued;
import dev.falclient.RequestLog;
import dev.falclient.Status;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Turns everything the client observes into {@link FalRequestListener} calls: each transition once per request,
 * only new log lines, delivered in order per request on the listener executor. A callback the executor rejects is
 * dropped, never run on the observing thread (often a Netty event loop): it is counted
 * ({@link #droppedCallbacks()}) and logged at WARN at most once per {@link #DROP_WARNING_INTERVAL}.
 */
public final class RequestObserver {

    /** Shortest time between two WARN lines about dropped callbacks. */
    public static final Duration DROP_WARNING_INTERVAL = Duration.ofMinutes(1);

    private static final Logger log = LoggerFactory.getLogger(RequestObserver.class);
    private static final int MAX_LOG_KEYS_PER_REQUEST = 2_000;
    private static final int MAX_HELD_PER_REQUEST = 1_000;

    private final List<FalRequestListener> listeners;
    private final Executor executor;
    private final Map<String, State> states;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong nextDropWarning = new AtomicLong(System.nanoTime());

    public RequestObserver(List<FalRequestListener> listeners, Executor executor, int maxRequests) {
        this.listeners = listeners;
        this.executor = executor;
        this.states = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, State> eldest) {
                return size() > maxRequests;
            }
        };
    }

    public void submitted(FalRequest request) {
        update(request, state -> state.once(State.SUBMITTED, l -> l.onSubmitted(request)));
    }

    public void status(FalRequest request, Status status) {
        update(request, state -> state.status(request, status));
    }

    public void result(FalRequest request, JsonNode result) {
        update(request, state -> state.terminal(l -> l.onResult(request, result)));
    }

    public void failed(FalRequest request, FalException error) {
        update(request, state -> state.terminal(l -> l.onFailed(request, error)));
    }

    /**
     * A cancel is on its way: what is observed until its outcome waits, so that a cancelled request reports
     * {@code onCancelled} before the {@code Completed} and the terminal callback that the cancel causes.
     */
    public void cancelling(FalRequest request) {
        update(request, State::hold);
    }

    /** fal accepted the cancel. */
    public void cancelled(FalRequest request) {
        update(request, state -> {
            state.once(State.CANCELLED, l -> l.onCancelled(request));
            state.release();
        });
    }

    /** The cancel did not happen (already completed, or the call failed). */
    public void cancelRefused(FalRequest request) {
        update(request, State::release);
    }

    /** Callbacks dropped since the client was built because the listener executor rejected them. */
    public long droppedCallbacks() {
        return dropped.get();
    }

    private void dropped() {
        long total = dropped.incrementAndGet();
        long now = System.nanoTime();
        long next = nextDropWarning.get();
        if (now - next >= 0 && nextDropWarning.compareAndSet(next, now + DROP_WARNING_INTERVAL.toNanos())) {
            log.warn("fal listener executor is full or shut down: dropped a listener callback ({} dropped since "
                    + "the client was built). Callbacks are never run on the calling thread, which may be a Netty "
                    + "event loop. Give the executor more capacity (Spring: fal.events.threads, "
                    + "fal.events.queue-capacity) or make listeners faster.", total);
        }
    }

    private void update(FalRequest request, Consumer<State> change) {
        if (listeners.isEmpty()) {
            return;
        }
        State state;
        synchronized (states) {
            state = states.computeIfAbsent(request.requestId(), id -> new State());
        }
        // computing the transition and queueing its callbacks under one lock keeps them in observation order
        synchronized (state) {
            change.accept(state);
        }
    }

    private final class State {
        static final int SUBMITTED = 1;
        static final int RESULT = 2;
        static final int FAILED = 4;
        static final int CANCELLED = 8;
        static final int IN_PROGRESS = 16;
        static final int COMPLETED = 32;

        private final SerialExecutor serial = new SerialExecutor(executor, RequestObserver.this::dropped);
        private final Set<String> seenLogs = new LinkedHashSet<>();
        private final List<Consumer<FalRequestListener>> held = new ArrayList<>();
        private int holds;
        private int reported;
        private int queuePosition = -1;

        void once(int flag, Consumer<FalRequestListener> call) {
            if ((reported & flag) == 0) {
                reported |= flag;
                if (flag == CANCELLED) {
                    deliver(call); // never held: it is what the held callbacks wait for
                } else {
                    dispatch(call);
                }
            }
        }

        /** The one terminal callback of a request: its result or its failure, whichever is observed first. */
        void terminal(Consumer<FalRequestListener> call) {
            if ((reported & (RESULT | FAILED)) == 0) {
                reported |= RESULT | FAILED;
                dispatch(call);
            }
        }

        void hold() {
            holds++;
        }

        void release() {
            if (holds > 0 && --holds == 0) {
                held.forEach(this::deliver);
                held.clear();
            }
        }

        void status(FalRequest request, Status status) {
            if (status instanceof Queued q) {
                if ((reported & (IN_PROGRESS | COMPLETED)) == 0 && q.position() != queuePosition) {
                    queuePosition = q.position();
                    dispatch(l -> l.onStatusChanged(request, q));
                }
            } else if (status instanceof InProgress p) {
                if ((reported & COMPLETED) == 0) {
                    once(IN_PROGRESS, l -> l.onStatusChanged(request, p));
                }
                logs(request, p.logs());
            } else if (status instanceof Completed c) {
                logs(request, c.logs());
                once(COMPLETED, l -> l.onStatusChanged(request, c));
            }
        }

        private void logs(FalRequest request, List<RequestLog> logs) {
            List<RequestLog> fresh = new ArrayList<>();
            for (RequestLog line : logs) {
                if (seenLogs.add(line.timestamp() + "\u0000" + line.message())) {
                    fresh.add(line);
                }
            }
            while (seenLogs.size() > MAX_LOG_KEYS_PER_REQUEST) {
                seenLogs.remove(seenLogs.iterator().next());
            }
            if (!fresh.isEmpty()) {
                List<RequestLog> batch = List.copyOf(fresh);
                dispatch(l -> l.onLogs(request, batch));
            }
        }

        private void dispatch(Consumer<FalRequestListener> call) {
            // a cancel call is bounded by its deadline, and so is the hold; the cap guards against a leak
            if (holds > 0 && held.size() < MAX_HELD_PER_REQUEST) {
                held.add(call);
            } else {
                deliver(call);
            }
        }

        private void deliver(Consumer<FalRequestListener> call) {
            serial.execute(() -> {
                for (FalRequestListener listener : listeners) {
                    try {
                        call.accept(listener);
                    } catch (RuntimeException e) {
                        log.warn("fal request listener {} failed", listener, e);
                    }
                }
            });
        }
    }
}
