package dev.falclient.internal.queue;

import dev.falclient.Completed;
import dev.falclient.FalRequest;
import dev.falclient.MissingCredentialsException;
import dev.falclient.Status;
import dev.falclient.StatusMode;
import dev.falclient.internal.ApiFactory;
import dev.falclient.internal.http.ClientClosedException;
import dev.falclient.internal.json.Excerpt;
import dev.falclient.internal.http.FalTransport;
import dev.falclient.internal.http.HttpCall;
import dev.falclient.internal.http.StreamEvent;
import dev.falclient.internal.json.FalJson;
import dev.falclient.internal.json.StatusBody;
import dev.falclient.internal.json.StatusParser;
import dev.falclient.internal.observe.RequestObserver;
import dev.falclient.settings.WaitSettings;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.core.JacksonException;

/**
 * Watches a request until its first {@link Completed} (included): by status polls, or by fal's status stream that
 * falls back to polling when it fails, ends early, stays silent or would exceed the open-stream limit.
 */
final class StatusWatcher {

    private static final Logger log = LoggerFactory.getLogger(StatusWatcher.class);
    private static final Duration DRAIN_GRACE = Duration.ofSeconds(5);

    private final FalTransport transport;
    private final RequestUrls urls;
    private final StatusParser parser;
    private final RequestObserver observer;
    private final ApiFactory api;
    private final WaitSettings waiting;
    private final int maxStatusStreams;
    private final Duration streamIdleTimeout;
    private final AtomicInteger openStreams = new AtomicInteger();

    StatusWatcher(FalTransport transport, RequestUrls urls, FalJson json, RequestObserver observer, ApiFactory api,
                  WaitSettings waiting, int maxStatusStreams) {
        this.transport = transport;
        this.urls = urls;
        this.parser = new StatusParser(json, api);
        this.observer = observer;
        this.api = api;
        this.waiting = waiting;
        this.maxStatusStreams = maxStatusStreams;
        this.streamIdleTimeout = waiting.streamIdleTimeout();
    }

    Mono<Status> status(FalRequest request, boolean withLogs) {
        return status(request, HttpCall.status(urls.status(request, withLogs), request));
    }

    private Mono<Status> status(FalRequest request, HttpCall call) {
        return transport.decode(call, parser::read)
                .map(body -> parser.parse(body, request.requestId()))
                .doOnNext(status -> observer.status(request, status));
    }

    Flux<Status> poll(FalRequest request, boolean withLogs, Duration interval) {
        // the URL is built once per wait, not once per poll
        HttpCall call = HttpCall.status(urls.status(request, withLogs), request);
        return Mono.defer(() -> status(request, call))
                .repeatWhen(done -> done.concatMap(tick -> Mono.delay(interval, transport.timer())))
                .takeUntil(Completed.class::isInstance);
    }

    /** Watches with the given mode and interval, or the client's defaults where {@code null}. */
    Flux<Status> watch(FalRequest request, boolean withLogs, StatusMode mode, Duration pollInterval) {
        Duration interval = pollInterval != null ? pollInterval : waiting.pollInterval();
        if ((mode != null ? mode : waiting.statusMode()) == StatusMode.POLLING) {
            return poll(request, withLogs, interval);
        }
        return Flux.defer(() -> {
            if (openStreams.incrementAndGet() > maxStatusStreams) {
                openStreams.decrementAndGet();
                return poll(request, withLogs, interval);
            }
            AtomicBoolean released = new AtomicBoolean();
            AtomicReference<Status> last = new AtomicReference<>();
            // fal's keep-alive comments count as activity: the idle watchdog sees every read
            Flux<Status> events = transport.events(HttpCall.statusStream(urls.statusStream(request, withLogs),
                            request, streamIdleTimeout))
                    .filter(StreamEvent::hasData)
                    .map(event -> parser.parse(event(event, request.requestId()), request.requestId()))
                    .doFinally(signal -> {
                        if (released.compareAndSet(false, true)) {
                            openStreams.decrementAndGet();
                        }
                    });
            Flux<Status> stream = untilCompleted(events)
                    .doOnNext(status -> {
                        last.set(status);
                        observer.status(request, status);
                    })
                    .onErrorResume(StatusWatcher::fallsBack, e -> {
                        log.debug("Status stream of {} failed ({}); polling instead", request.requestId(),
                                e.toString());
                        return Mono.empty();
                    });
            return stream.concatWith(Flux.defer(() -> {
                if (last.get() instanceof Completed) {
                    return Flux.empty();
                }
                log.debug("Status stream of {} ended before COMPLETED; polling instead", request.requestId());
                return poll(request, withLogs, interval);
            }));
        });
    }

    /**
     * The statuses up to the first {@link Completed}, which completes the result at once. The stream itself is read
     * on to its end (fal closes it right after COMPLETED) so that its connection goes back to the pool instead of
     * being closed; a server that keeps it open is cut off after a short grace. A subscriber that leaves before
     * {@link Completed} closes the stream.
     */
    private Flux<Status> untilCompleted(Flux<Status> events) {
        return Flux.create(sink -> {
            AtomicBoolean done = new AtomicBoolean();
            Sinks.Empty<Void> completed = Sinks.empty();
            Disposable upstream = events
                    .takeUntilOther(completed.asMono().then(Mono.delay(DRAIN_GRACE, transport.timer())))
                    .subscribe(status -> {
                        if (!done.get()) {
                            sink.next(status);
                            if (status instanceof Completed && done.compareAndSet(false, true)) {
                                completed.tryEmitEmpty();
                                sink.complete();
                            }
                        }
                    }, error -> {
                        if (done.compareAndSet(false, true)) {
                            sink.error(error);
                        }
                    }, () -> {
                        if (done.compareAndSet(false, true)) {
                            sink.complete();
                        }
                    });
            sink.onCancel(() -> {
                if (!done.get()) {
                    upstream.dispose();
                }
            });
        });
    }

    /** Polling cannot help without a key or on a closed client. */
    private static boolean fallsBack(Throwable e) {
        return !(e instanceof MissingCredentialsException) && !(e instanceof ClientClosedException);
    }

    private StatusBody event(StreamEvent event, String requestId) {
        try {
            return parser.read(event.data());
        } catch (JacksonException e) {
            throw api.response("fal sent malformed JSON in a status event: " + Excerpt.of(event.text()), requestId, e,
                    false);
        }
    }
}
