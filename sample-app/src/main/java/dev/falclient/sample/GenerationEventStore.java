package dev.falclient.sample;

import dev.falclient.Completed;
import dev.falclient.FalException;
import dev.falclient.FalHttpException;
import dev.falclient.spring.event.FalRequestCancelledEvent;
import dev.falclient.spring.event.FalRequestCompletedEvent;
import dev.falclient.spring.event.FalRequestEvent;
import dev.falclient.spring.event.FalRequestFailedEvent;
import dev.falclient.spring.event.FalRequestInProgressEvent;
import dev.falclient.spring.event.FalRequestLogEvent;
import dev.falclient.spring.event.FalRequestQueuedEvent;
import dev.falclient.spring.event.FalRequestResultEvent;
import dev.falclient.spring.event.FalRequestSubmittedEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

/**
 * Turns the starter's request events into a bounded, replayable stream per request, so that a browser that connects
 * to {@code /generations/{id}/events} a bit late still sees the earlier transitions. Each stream completes after a
 * terminal event (result, failed, cancelled). Memory is bounded: at most {@code sample.events.replay-size} events
 * per request, at most {@code sample.events.max-requests} requests, finished requests evicted after
 * {@code sample.events.retention}, unfinished ones after {@code sample.events.max-age}.
 *
 * <p>The listeners run on the starter's {@code fal-events-*} threads, one event of a request at a time.
 */
@Component
public class GenerationEventStore implements DisposableBean {

    /** fal's error type of a cancelled request. */
    static final String CLIENT_CANCELLED = "client_cancelled";

    private final SampleProperties.Events settings;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Map<String, Integer> pending = new java.util.HashMap<>();
    private final Disposable cleaner;

    public GenerationEventStore(SampleProperties properties) {
        this.settings = properties.events();
        Duration every = settings.retention().dividedBy(2);
        if (every.compareTo(Duration.ofSeconds(30)) > 0) {
            every = Duration.ofSeconds(30);
        }
        if (every.compareTo(Duration.ofMillis(100)) < 0) {
            every = Duration.ofMillis(100);
        }
        this.cleaner = Flux.interval(every, every, Schedulers.parallel())
                .subscribe(tick -> evict(Instant.now()));
    }

    // ------------------------------------------------------------------ queries

    /** Remembers a request the sample submitted (events may already have arrived). */
    public void register(String requestId, String endpointId) {
        register(requestId, endpointId, BrowserSession.APP);
    }

    /** Remembers a request the sample submitted for {@code owner} (a browser session). */
    public void register(String requestId, String endpointId, String owner) {
        entry(requestId, endpointId).owner = owner;
        evict(Instant.now());
    }

    /** Whether {@code owner} submitted this request (and its events are still kept). */
    public boolean ownedBy(String requestId, String owner) {
        Entry e = entries.get(requestId);
        return e != null && owner.equals(e.owner);
    }

    /**
     * Admits one more generation, or fails with {@link GenerationErrors.Busy}: 503 when {@code maxActive} are
     * running in the whole app, 429 when {@code owner} runs {@code maxPerOwner}. A generation counts from its
     * admission until its terminal event (or eviction); {@link Admission#close()} ends an admission whose submit
     * failed or whose request was registered.
     */
    public synchronized Admission admit(String owner, SampleProperties.Limits limits) {
        long active = pending.values().stream().mapToLong(Integer::longValue).sum();
        long mine = pending.getOrDefault(owner, 0);
        for (Entry e : entries.values()) {
            if (e.owner != null && e.finishedAt == null) {
                active++;
                if (owner.equals(e.owner)) {
                    mine++;
                }
            }
        }
        if (active >= limits.maxActive()) {
            throw new GenerationErrors.Busy(org.springframework.http.HttpStatus.SERVICE_UNAVAILABLE,
                    "The app runs its maximum of " + limits.maxActive() + " generations; try again shortly",
                    limits.retryAfter());
        }
        if (mine >= limits.maxActivePerSession()) {
            throw new GenerationErrors.Busy(org.springframework.http.HttpStatus.TOO_MANY_REQUESTS,
                    "You run " + mine + " generations already, the most allowed at once; wait for one to finish",
                    limits.retryAfter());
        }
        pending.merge(owner, 1, Integer::sum);
        return new Admission(owner);
    }

    /** One admitted submit, counted until closed (then its registered entry counts instead). */
    public final class Admission implements AutoCloseable {
        private final String owner;
        private boolean closed;

        private Admission(String owner) {
            this.owner = owner;
        }

        @Override
        public void close() {
            synchronized (GenerationEventStore.this) {
                if (!closed) {
                    closed = true;
                    pending.computeIfPresent(owner, (o, n) -> n > 1 ? n - 1 : null);
                }
            }
        }
    }

    /** Whether events of this request are known (submitted here and not evicted yet). */
    public boolean knows(String requestId) {
        return entries.containsKey(requestId);
    }

    /** The endpoint a known request was submitted to. */
    public Optional<String> endpointOf(String requestId) {
        Entry e = entries.get(requestId);
        return e == null ? Optional.empty() : Optional.ofNullable(e.endpointId);
    }

    /** Whether a cancellation of this request was seen. */
    public boolean isCancelled(String requestId) {
        Entry e = entries.get(requestId);
        return e != null && e.cancelled;
    }

    /**
     * The events of a request: the ones kept so far, then live ones; completes after the terminal event.
     * Empty when the request is unknown (never seen, or evicted).
     */
    public Optional<Flux<GenerationEvent>> events(String requestId) {
        Entry e = entries.get(requestId);
        return e == null ? Optional.empty() : Optional.of(e.sink.asFlux());
    }

    /** Number of requests whose events are kept. */
    public int size() {
        return entries.size();
    }

    // ------------------------------------------------------------------ the starter's events

    @EventListener
    void on(FalRequestSubmittedEvent event) {
        record(event, GenerationEvent.of(GenerationEvent.SUBMITTED, event.getRequestId(), event.getEndpointId()));
    }

    @EventListener
    void on(FalRequestQueuedEvent event) {
        record(event, base(event, GenerationEvent.QUEUED).withPosition(event.getPosition()));
    }

    @EventListener
    void on(FalRequestInProgressEvent event) {
        record(event, base(event, GenerationEvent.IN_PROGRESS));
    }

    @EventListener
    void on(FalRequestLogEvent event) {
        List<GenerationEvent.LogLine> lines = event.getLogs().stream()
                .map(l -> new GenerationEvent.LogLine(l.message(), l.level(), l.timestamp()))
                .toList();
        record(event, base(event, GenerationEvent.LOG).withLogs(lines));
    }

    @EventListener
    void on(FalRequestCompletedEvent event) {
        Completed status = event.getStatus();
        Object seconds = status.metrics().get("inference_time");
        GenerationEvent completed = base(event, GenerationEvent.COMPLETED)
                .withInferenceTime(seconds instanceof Number n ? n.doubleValue() : null);
        if (status.failed()) {
            completed = completed.withError(status.error(), status.errorType());
        }
        record(event, completed);
        if (CLIENT_CANCELLED.equals(status.errorType())) {
            record(event, base(event, GenerationEvent.CANCELLED).withError(status.error(), status.errorType()));
        }
    }

    @EventListener
    void on(FalRequestResultEvent event) {
        JsonNode result = event.getResult();
        record(event, base(event, GenerationEvent.RESULT).withResult(result, firstImageUrl(result)));
    }

    @EventListener
    void on(FalRequestFailedEvent event) {
        FalException error = event.getError();
        String errorType = error instanceof FalHttpException http ? http.errorType() : null;
        String type = CLIENT_CANCELLED.equals(errorType) ? GenerationEvent.CANCELLED : GenerationEvent.FAILED;
        record(event, base(event, type).withError(error.getMessage(), errorType));
    }

    @EventListener
    void on(FalRequestCancelledEvent event) {
        record(event, base(event, GenerationEvent.CANCELLED));
    }

    /** The URL of {@code images[0]}, or {@code null} when the output has none. */
    static String firstImageUrl(JsonNode result) {
        JsonNode url = result == null ? null : result.path("images").path(0).path("url");
        return url != null && url.isString() ? url.asString() : null;
    }

    private static GenerationEvent base(FalRequestEvent event, String type) {
        return GenerationEvent.of(type, event.getRequestId(), event.getEndpointId());
    }

    private void record(FalRequestEvent source, GenerationEvent event) {
        entry(source.getRequestId(), source.getEndpointId()).emit(event);
    }

    private Entry entry(String requestId, String endpointId) {
        Entry e = entries.computeIfAbsent(requestId, id -> new Entry(id, settings.replaySize()));
        if (e.endpointId == null) {
            e.endpointId = endpointId;
        }
        return e;
    }

    // ------------------------------------------------------------------ eviction

    /** Drops finished requests older than the retention, stale unfinished ones, and the oldest beyond the cap. */
    void evict(Instant now) {
        entries.values().removeIf(e -> {
            boolean expired = e.finishedAt != null
                    ? e.finishedAt.plus(settings.retention()).isBefore(now)
                    : e.createdAt.plus(settings.maxAge()).isBefore(now);
            if (expired) {
                e.close();
            }
            return expired;
        });
        int excess = entries.size() - settings.maxRequests();
        if (excess > 0) {
            // finished ones first, oldest first
            entries.values().stream()
                    .sorted(Comparator.comparing((Entry e) -> e.finishedAt == null)
                            .thenComparing(e -> e.createdAt))
                    .limit(excess)
                    .toList()
                    .forEach(e -> {
                        if (entries.remove(e.requestId, e)) {
                            e.close();
                        }
                    });
        }
    }

    @Override
    public void destroy() {
        cleaner.dispose();
        entries.values().forEach(Entry::close);
        entries.clear();
    }

    /** The replay of one request. */
    private static final class Entry {
        final String requestId;
        final Instant createdAt = Instant.now();
        final Sinks.Many<GenerationEvent> sink;
        volatile String endpointId;
        volatile String owner;
        volatile Instant finishedAt;
        volatile boolean cancelled;
        private long seq;

        Entry(String requestId, int replaySize) {
            this.requestId = requestId;
            this.sink = Sinks.many().replay().limit(replaySize);
        }

        synchronized void emit(GenerationEvent event) {
            if (finishedAt != null) {
                return;
            }
            GenerationEvent numbered = event.withId(++seq);
            if (GenerationEvent.CANCELLED.equals(event.type())) {
                cancelled = true;
            }
            sink.tryEmitNext(numbered);
            if (numbered.terminal()) {
                finishedAt = Instant.now();
                sink.tryEmitComplete();
            }
        }

        synchronized void close() {
            if (finishedAt == null) {
                finishedAt = Instant.now();
            }
            sink.tryEmitComplete();
        }
    }
}
