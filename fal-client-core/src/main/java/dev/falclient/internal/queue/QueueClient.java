package dev.falclient.internal.queue;

import dev.falclient.Completed;
import dev.falclient.EndpointId;
import dev.falclient.FalException;
import dev.falclient.FalHttpException;
import dev.falclient.FalRequest;
import dev.falclient.FalTimeoutException;
import dev.falclient.InFlightRequest;
import dev.falclient.Status;
import dev.falclient.internal.ApiFactory;
import dev.falclient.internal.ClientConfig;
import dev.falclient.internal.http.FalTransport;
import dev.falclient.internal.http.HttpCall;
import dev.falclient.internal.http.Reply;
import dev.falclient.internal.json.Excerpt;
import dev.falclient.internal.json.FalJson;
import dev.falclient.internal.observe.RequestObserver;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** fal's queue and run APIs for one client: submit, run, status, watch, result, cancel, subscribe, tracking. */
public final class QueueClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(QueueClient.class);
    private static final Duration CANCEL_TIMEOUT = Duration.ofSeconds(10);

    private final ClientConfig config;
    private final ApiFactory api;
    private final FalTransport transport;
    private final RequestUrls urls;
    private final RequestObserver observer;
    private final StatusWatcher watcher;
    private final Tracker tracker;
    private final InFlightRegistry inFlight = new InFlightRegistry(Clock.systemUTC());
    private final Submitter submitter;
    private final FalJson json;

    public QueueClient(ClientConfig config, FalTransport transport, FalJson json, RequestObserver observer) {
        this.config = config;
        this.api = config.api();
        this.transport = transport;
        this.json = json;
        this.urls = new RequestUrls(config.urls().queueUrl(), config.urls().runUrl());
        this.observer = observer;
        this.watcher = new StatusWatcher(transport, urls, json, observer, api, config.waiting(),
                config.pool().maxStatusStreams());
        this.tracker = new Tracker(config.tracking().maxTrackedRequests(), api);
        this.submitter = new Submitter(config, transport, urls, observer, this::cancelQuietly);
    }

    /** Submits; with {@code track} (else the client's default when {@code null}) watches it in the background. */
    public Mono<FalRequest> submit(String endpointId, byte[] body, CallOptions options, Boolean track) {
        Mono<FalRequest> submit = submit(endpointId, body, options);
        boolean tracked = track != null ? track : config.tracking().trackSubmitted();
        if (!tracked) {
            return submit;
        }
        return tracker.submitTracked(submit, request -> listed(request, true, entry ->
                await(request, config.tracking().trackWithLogs(), config.waiting().waitTimeout(), entry::status,
                        completed -> result(request, completed))));
    }

    /** The requests watched right now (tracked ones and callers' waits), oldest first. */
    public List<InFlightRequest> inFlight() {
        return inFlight.snapshot();
    }

    /** Lists {@code request} in {@link #inFlight()} for as long as {@code wait} runs. */
    private <T> Mono<T> listed(FalRequest request, boolean tracked, Function<InFlightRegistry.Entry, Mono<T>> wait) {
        return Mono.using(() -> inFlight.open(request, tracked), wait, InFlightRegistry.Entry::close);
    }

    private Mono<FalRequest> submit(String endpointId, byte[] body, CallOptions options) {
        return submitter.submit(endpointId, body, options);
    }

    /**
     * A direct run on fal.run, bounded by {@code timeout} when set, else by the client's run timeout. fal's request
     * id goes to {@code onRequestId} as soon as the answer arrives.
     */
    public Mono<JsonNode> run(String endpointId, byte[] body, CallOptions options, Duration timeout,
                              Consumer<String> onRequestId) {
        HttpCall call = HttpCall.run(urls.run(EndpointId.parse(endpointId), options), body,
                options.headers(config.defaultHeaders(), config.defaultPriority()), endpointId,
                timeout != null ? timeout : config.http().runTimeout());
        return transport.reply(call, null)
                .doOnNext(reply -> {
                    if (reply.falRequestId() != null) {
                        safely(onRequestId, reply.falRequestId());
                    }
                })
                .map(reply -> transport.parse(reply, call));
    }

    /** The request with every URL filled in (its own where trusted, else derived from its ids). */
    public FalRequest resolve(FalRequest request) {
        EndpointId.parse(request.endpointId());
        return urls.resolve(request);
    }

    public Mono<Status> status(FalRequest request, boolean withLogs) {
        return untilClosed(watcher.status(request, withLogs), request);
    }

    /** Polls at {@code interval} until the first {@link Completed}, bounded by the client's wait timeout. */
    public Flux<Status> poll(FalRequest request, boolean withLogs, Duration interval) {
        return bounded(watcher.poll(request, withLogs, interval), request);
    }

    /** Watches in the client's default mode until the first {@link Completed}, bounded by the wait timeout. */
    public Flux<Status> watch(FalRequest request, boolean withLogs) {
        return bounded(watcher.watch(request, withLogs, null, null), request);
    }

    /** Bounded by the client's wait timeout as a whole (Flux#timeout would bound the gap between two statuses). */
    private Flux<Status> bounded(Flux<Status> statuses, FalRequest request) {
        Duration deadline = config.waiting().waitTimeout();
        return cutOff(untilClosed(statuses, request), Mono.delay(deadline, transport.timer()),
                () -> timeout(request, deadline, false));
    }

    /** Fetches the JSON result of a request already seen {@link Completed}. */
    public Mono<JsonNode> result(FalRequest request, Completed completed) {
        HttpCall call = HttpCall.result(urls.result(request), request);
        return reported(request, completed, transport.json(call), node -> node);
    }

    /** Fetches the result of a request already seen {@link Completed} as it came: bytes and headers. */
    public Mono<Reply> resultReply(FalRequest request, Completed completed) {
        HttpCall call = HttpCall.result(urls.result(request), request);
        return reported(request, completed, transport.reply(call, null), this::asNode);
    }

    private <T> Mono<T> reported(FalRequest request, Completed completed, Mono<T> fetch,
                                 Function<T, JsonNode> forListeners) {
        return untilClosed(fetch, request)
                .map(result -> {
                    if (completed.failed()) {
                        throw api.failure(Excerpt.message("fal reported request " + request.requestId()
                                + " as failed (" + completed.errorType() + "): " + completed.error()),
                                request.requestId(), null, false);
                    }
                    return result;
                })
                .doOnNext(result -> observer.result(request, forListeners.apply(result)))
                .doOnError(FalException.class, e -> observer.failed(request, e));
    }

    /** Listeners get JSON; a result that is not JSON reaches them as text or binary node. */
    private JsonNode asNode(Reply reply) {
        try {
            return json.read(reply.body());
        } catch (JacksonException notJson) {
            MediaType type = reply.headers().getContentType();
            return type != null && "text".equals(type.getType())
                    ? JsonNodeFactory.instance.stringNode(new String(reply.body(), StandardCharsets.UTF_8))
                    : JsonNodeFactory.instance.binaryNode(reply.body());
        }
    }

    /** Waits for completion in the default mode, bounded by the client's wait timeout, then fetches the result. */
    public Mono<JsonNode> awaitResult(FalRequest request) {
        return listed(request, false, entry -> await(request, false, config.waiting().waitTimeout(), entry::status,
                completed -> result(request, completed)));
    }

    /** {@link #awaitResult(FalRequest)} as bytes and headers. */
    public Mono<Reply> awaitResultReply(FalRequest request) {
        return listed(request, false, entry -> await(request, false, config.waiting().waitTimeout(), entry::status,
                completed -> resultReply(request, completed)));
    }

    private <T> Mono<T> await(FalRequest request, boolean withLogs, Duration deadline, Consumer<Status> onStatus,
                              Function<Completed, Mono<T>> fetch) {
        return untilClosed(watcher.watch(request, withLogs, null, null).doOnNext(onStatus).last()
                .flatMap(completed -> fetch.apply((Completed) completed)), request)
                .timeout(deadline, transport.timer())
                .onErrorMap(TimeoutException.class, e -> timeout(request, deadline, false))
                .doOnError(FalTimeoutException.class, e -> observer.gaveUp(request, e));
    }

    /**
     * Ends a wait when the client closes, with an error that keeps the request id: the request itself carries on
     * (and is billed) on fal.
     */
    private <T> Flux<T> untilClosed(Flux<T> flux, FalRequest request) {
        return Flux.defer(() -> transport.isClosed()
                ? flux // a call on a closed client fails by itself, with IllegalStateException
                : cutOff(flux, transport.closed(), () -> closedWhileWaiting(request)))
                // the calls about a request are children of its fal.request observation
                .contextWrite(context -> observer.withObservation(context, request));
    }

    /** Ends {@code flux} with the given error when {@code trigger} signals first. */
    private static <T> Flux<T> cutOff(Flux<T> flux, Mono<?> trigger, Supplier<? extends Throwable> error) {
        return Flux.defer(() -> {
            AtomicBoolean cut = new AtomicBoolean();
            return flux.takeUntilOther(trigger.doOnTerminate(() -> cut.set(true)).then(Mono.just(true)))
                    .concatWith(Mono.defer(() -> cut.get() ? Mono.error(error.get()) : Mono.empty()));
        });
    }

    private <T> Mono<T> untilClosed(Mono<T> mono, FalRequest request) {
        return untilClosed(mono.flux(), request).next();
    }

    private FalException closedWhileWaiting(FalRequest request) {
        FalException closed = api.failure("The fal client was closed while waiting for request "
                + request.requestId() + " of " + request.endpointId() + "; it was not cancelled on fal",
                request.requestId(), null, false);
        observer.gaveUp(request, closed);
        return closed;
    }

    public Mono<Void> cancel(FalRequest request) {
        return Mono.defer(() -> {
            observer.cancelling(request);
            return transport.json(HttpCall.cancel(urls.cancel(request), request))
                    .map(reply -> {
                        String outcome = FalJson.text(reply, "status");
                        if ("NOT_FOUND".equals(outcome)) {
                            throw api.failure("fal does not know request " + request.requestId() + " of "
                                    + request.endpointId() + " (NOT_FOUND)", request.requestId(), null, false);
                        }
                        return outcome == null ? "" : outcome;
                    })
                    .onErrorResume(FalHttpException.class, e -> alreadyCompleted(e)
                            ? Mono.just("ALREADY_COMPLETED") : Mono.error(e))
                    .doOnNext(outcome -> {
                        if ("ALREADY_COMPLETED".equals(outcome)) {
                            log.debug("Cancel of {}: already completed", request.requestId());
                            observer.cancelRefused(request);
                        } else {
                            observer.cancelled(request);
                        }
                    })
                    .doOnError(e -> observer.cancelRefused(request))
                    .doOnCancel(() -> observer.cancelRefused(request))
                    .then();
        }).contextWrite(context -> observer.withObservation(context, request));
    }

    private static boolean alreadyCompleted(FalHttpException e) {
        return e.statusCode() == 400 && e.body().contains("ALREADY_COMPLETED");
    }

    /**
     * Submits, waits for completion, fetches the result. An explicit client timeout cancels the request on fal when
     * it passes; the client's wait timeout only stops waiting, because the request is paid for either way.
     */
    public Mono<JsonNode> subscribe(String endpointId, byte[] body, CallOptions options, WaitSpec spec) {
        Mono<FalRequest> submitting = submit(endpointId, body, options);
        boolean cancels = spec.clientTimeout() != null;
        Duration deadline = cancels ? spec.clientTimeout() : config.waiting().waitTimeout();
        return Mono.defer(() -> {
            AtomicReference<FalRequest> submitted = new AtomicReference<>();
            Mono<JsonNode> flow = submitting.doOnNext(submitted::set).flatMap(request -> {
                safely(spec.onEnqueue(), request.requestId());
                return listed(request, false, entry -> untilClosed(watcher.watch(request, spec.withLogs(),
                                spec.mode(), spec.pollInterval()), request)
                        .doOnNext(entry::status)
                        .doOnNext(status -> safely(spec.onQueueUpdate(), status))
                        .last()
                        .flatMap(completed -> result(request, (Completed) completed)));
            });
            return flow.timeout(deadline, transport.timer()).onErrorMap(TimeoutException.class, e -> {
                FalRequest request = submitted.get();
                // a submit still in flight carries on detached, and is cancelled once fal accepts it
                FalTimeoutException timeout = timeout(request, deadline, cancels);
                if (request != null) {
                    if (cancels) {
                        // first: the cancel holds what follows, so that a request fal cancels is observed as such
                        cancelQuietly(request);
                    }
                    observer.gaveUp(request, timeout);
                }
                return timeout;
            });
        });
    }

    private void cancelQuietly(FalRequest request) {
        cancel(request).timeout(CANCEL_TIMEOUT, transport.timer()).subscribe(null, e -> log.debug("Best-effort cancel of {} failed: {}",
                request.requestId(), e.toString()));
    }

    private FalTimeoutException timeout(FalRequest request, Duration deadline, boolean cancels) {
        if (request == null) {
            return api.timeout("fal did not accept the submit within " + deadline + "; if it arrives late it is "
                    + (cancels ? "cancelled" : "reported to listeners but not cancelled"), deadline, null, true);
        }
        return api.timeout("Request " + request.requestId() + " of " + request.endpointId() + " did not complete within "
                + deadline + (cancels ? "; asked fal to cancel it"
                        : "; stopped waiting (the request was not cancelled: fetch its result later with its id)"),
                deadline, request.requestId(), false);
    }

    private static <T> void safely(Consumer<T> callback, T value) {
        try {
            callback.accept(value);
        } catch (RuntimeException e) {
            log.warn("fal subscribe callback failed", e);
        }
    }

    @Override
    public void close() {
        tracker.close();
    }
}
