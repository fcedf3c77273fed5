package dev.falclient.internal.observe;

import dev.falclient.Completed;
import dev.falclient.FalException;
import dev.falclient.FalRequest;
import dev.falclient.FalRequestListener;
import dev.falclient.InProgress;
import dev.falclient.Queued;
import dev.falclient.RequestLog;
import dev.falclient.Status;
import dev.falclient.observation.DefaultFalRequestObservationConvention;
import dev.falclient.observation.FalRequestObservationContext;
import dev.falclient.observation.FalRequestObservationConvention;
import dev.falclient.observation.FalRequestObservationDocumentation;
import dev.falclient.observation.FalRequestOutcome;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;

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
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.util.context.Context;
import tools.jackson.databind.JsonNode;

/**
 * Turns everything the client observes into {@link FalRequestListener} calls: each transition once per request,
 * only new log lines, delivered in order per request on the listener executor. A callback the executor rejects is
 * dropped, never run on the observing thread (often a Netty event loop): it is counted
 * ({@link #droppedCallbacks()}) and logged at WARN at most once per {@link #DROP_WARNING_INTERVAL}.
 *
 * <p>It also ends each submitted request's {@code fal.request} observation, in the order the listeners hear of it
 * (a cancelled request ends as cancelled even when its failure was observed while the cancel was on its way), and
 * runs the listener calls of a request inside that observation's scope, so that tracing context (and the MDC a
 * tracer keeps) reaches the listener threads.
 */
public final class RequestObserver {

    /** Shortest time between two WARN lines about dropped callbacks. */
    public static final Duration DROP_WARNING_INTERVAL = Duration.ofMinutes(1);

    private static final Logger log = LoggerFactory.getLogger(RequestObserver.class);
    private static final int MAX_LOG_KEYS_PER_REQUEST = 2_000;
    private static final int MAX_HELD_PER_REQUEST = 1_000;

    private static final DefaultFalRequestObservationConvention DEFAULT_CONVENTION =
            new DefaultFalRequestObservationConvention();

    private final List<FalRequestListener> listeners;
    private final Executor executor;
    private final ObservationRegistry registry;
    private final @Nullable FalRequestObservationConvention convention;
    private final Map<String, State> states;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong nextDropWarning = new AtomicLong(System.nanoTime());

    public RequestObserver(List<FalRequestListener> listeners, Executor executor, int maxRequests) {
        this(listeners, executor, maxRequests, ObservationRegistry.NOOP, null);
    }

    /** {@code convention}: {@code null} for the default one. */
    public RequestObserver(List<FalRequestListener> listeners, Executor executor, int maxRequests,
                           ObservationRegistry registry, @Nullable FalRequestObservationConvention convention) {
        this.listeners = listeners;
        this.executor = executor;
        this.registry = registry;
        this.convention = convention;
        this.states = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, State> eldest) {
                if (size() <= maxRequests) {
                    return false;
                }
                State forgotten = eldest.getValue();
                // lock order states -> state, as in update()
                synchronized (forgotten) {
                    forgotten.observed.end(FalRequestOutcome.GIVEN_UP, null);
                }
                return true;
            }
        };
    }

    /**
     * Starts the {@code fal.request} observation of a submit to {@code endpointId}, a child of {@code parent} (else
     * of the registry's current observation). A no-op when no registry is configured.
     */
    public ObservedRequest start(String endpointId, @Nullable Observation parent) {
        if (registry.isNoop()) {
            return ObservedRequest.NONE;
        }
        FalRequestObservationContext context = new FalRequestObservationContext(endpointId);
        Observation observation = FalRequestObservationDocumentation.FAL_REQUEST
                .observation(convention, DEFAULT_CONVENTION, () -> context, registry);
        if (parent != null) {
            observation.parentObservation(parent);
        }
        return new ObservedRequest(observation.start(), context);
    }

    /** The registry's current observation on this thread, if any. */
    public @Nullable Observation currentObservation() {
        return registry.getCurrentObservation();
    }

    /**
     * {@code context} with the request's {@code fal.request} observation as the parent of the HTTP calls made in it
     * (WebClient's observation reads it there), when this client submitted and still remembers the request.
     */
    public Context withObservation(Context context, FalRequest request) {
        if (registry.isNoop()) {
            return context;
        }
        State state;
        synchronized (states) {
            state = states.get(request.requestId());
        }
        if (state == null) {
            return context;
        }
        ObservedRequest observed;
        synchronized (state) {
            observed = state.observed;
        }
        return observed == ObservedRequest.NONE ? context
                : context.put(ObservationThreadLocalAccessor.KEY, observed.observation());
    }

    public void submitted(FalRequest request) {
        submitted(request, ObservedRequest.NONE);
    }

    /** fal accepted the submit of {@code request}, observed by {@code observed} until it ends. */
    public void submitted(FalRequest request, ObservedRequest observed) {
        observed.accepted(request.requestId());
        if (!active()) {
            return;
        }
        update(request, state -> {
            state.observe(observed);
            state.once(State.SUBMITTED, l -> l.onSubmitted(request));
        });
    }

    public void status(FalRequest request, Status status) {
        update(request, state -> state.status(request, status));
    }

    public void result(FalRequest request, JsonNode result) {
        update(request, state -> state.terminal(l -> l.onResult(request, result), FalRequestOutcome.COMPLETED,
                null));
    }

    public void failed(FalRequest request, FalException error) {
        update(request, state -> state.terminal(l -> l.onFailed(request, error), FalRequestOutcome.FAILED, error));
    }

    /**
     * The client stopped following the request before it ended (its wait's deadline passed, or the client closed):
     * listeners hear {@code onFailed}, the observation ends as given up.
     */
    public void gaveUp(FalRequest request, FalException error) {
        update(request, state -> state.terminal(l -> l.onFailed(request, error), FalRequestOutcome.GIVEN_UP, error));
    }

    /** The client is closing: every request still observed ends as given up. */
    public void close() {
        List<State> open;
        synchronized (states) {
            open = List.copyOf(states.values());
        }
        for (State state : open) {
            synchronized (state) {
                state.observed.end(FalRequestOutcome.GIVEN_UP, null);
            }
        }
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
            state.observed.end(FalRequestOutcome.CANCELLED, null);
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

    /** Whether anything listens: listeners, or a registry that records observations. */
    private boolean active() {
        return !listeners.isEmpty() || !registry.isNoop();
    }

    private void update(FalRequest request, Consumer<State> change) {
        if (!active()) {
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
        private ObservedRequest observed = ObservedRequest.NONE;

        void observe(ObservedRequest observed) {
            if (this.observed == ObservedRequest.NONE) {
                this.observed = observed;
            }
        }

        void once(int flag, Consumer<FalRequestListener> call) {
            once(flag, call, null);
        }

        void once(int flag, Consumer<FalRequestListener> call, @Nullable Runnable ending) {
            if ((reported & flag) == 0) {
                reported |= flag;
                if (flag == CANCELLED) {
                    deliver(call); // never held: it is what the held callbacks wait for
                } else {
                    dispatch(call, ending);
                }
            }
        }

        /**
         * The one terminal callback of a request: its result or its failure, whichever is observed first. It ends
         * the observation with {@code outcome} when delivered (a held one waits for the cancel's outcome).
         */
        void terminal(Consumer<FalRequestListener> call, FalRequestOutcome outcome, @Nullable Throwable error) {
            if ((reported & (RESULT | FAILED)) == 0) {
                reported |= RESULT | FAILED;
                dispatch(call, () -> observed.end(outcome, error));
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
                // fal's end of the request ends its observation, whether or not anyone fetches the result
                once(COMPLETED, l -> l.onStatusChanged(request, c), () -> {
                    if (c.failed()) {
                        observed.falError(c.errorType());
                    }
                    observed.end(c.failed() ? FalRequestOutcome.FAILED : FalRequestOutcome.COMPLETED, null);
                });
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
            dispatch(call, null);
        }

        /** {@code ending}: ends the observation, run (synchronously, never dropped) when the call is delivered. */
        private void dispatch(Consumer<FalRequestListener> call, @Nullable Runnable ending) {
            // a cancel call is bounded by its deadline, and so is the hold; the cap guards against a leak
            if (holds > 0 && held.size() < MAX_HELD_PER_REQUEST) {
                held.add(ending == null ? call : new Ending(call, ending));
            } else {
                deliver(ending == null ? call : new Ending(call, ending));
            }
        }

        private void deliver(Consumer<FalRequestListener> call) {
            if (call instanceof Ending ending) {
                ending.ending().run();
            }
            if (listeners.isEmpty()) {
                return;
            }
            Observation observation = observed.observation();
            // the scope is open while the task is handed over, so that a context-capturing executor sees it, and
            // again around the calls on the listener thread
            try (Observation.Scope handing = observation.openScope()) {
                serial.execute(() -> {
                    try (Observation.Scope scope = observation.openScope()) {
                        for (FalRequestListener listener : listeners) {
                            try {
                                call.accept(listener);
                            } catch (RuntimeException e) {
                                log.warn("fal request listener {} failed", listener, e);
                            }
                        }
                    }
                });
            }
        }
    }

    /** A listener call that ends the request's observation when it is delivered. */
    private record Ending(Consumer<FalRequestListener> call, Runnable ending) implements Consumer<FalRequestListener> {
        @Override
        public void accept(FalRequestListener listener) {
            call.accept(listener);
        }
    }
}
