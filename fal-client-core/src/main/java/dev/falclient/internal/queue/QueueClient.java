package dev.falclient.internal.queue;

import dev.falclient.Completed;
import dev.falclient.EndpointId;
import dev.falclient.FalException;
import dev.falclient.FalHttpException;
import dev.falclient.FalRequest;
import dev.falclient.FalTimeoutException;
import dev.falclient.Status;
import dev.falclient.StatusMode;
import dev.falclient.internal.ApiFactory;
import dev.falclient.internal.ClientConfig;
import dev.falclient.internal.json.Excerpt;
import dev.falclient.internal.http.FalTransport;
import dev.falclient.internal.http.HttpCall;
import dev.falclient.internal.json.FalJson;
import dev.falclient.internal.observe.RequestObserver;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

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

    public QueueClient(ClientConfig config, FalTransport transport, FalJson json, RequestObserver observer) {
        this.config = config;
        this.api = config.api();
        this.transport = transport;
        this.urls = new RequestUrls(config.urls().queueUrl(), config.urls().runUrl());
        this.observer = observer;
        this.watcher = new StatusWatcher(transport, urls, json, observer, api, config.waiting(),
                config.pool().maxStatusStreams());
        this.tracker = new Tracker(config.tracking().maxTrackedRequests(), api);
    }

    /** Submits; with {@code track} (else the client's default when {@code null}) watches it in the background. */
    public Mono<FalRequest> submit(String endpointId, byte[] body, CallOptions options, Boolean track) {
        Mono<FalRequest> submit = submit(endpointId, body, options);
        boolean tracked = track != null ? track : config.tracking().trackSubmitted();
        if (!tracked) {
            return submit;
        }
        return tracker.submitTracked(submit, request ->
                awaitResult(request, config.tracking().trackWithLogs(), config.waiting().waitTimeout()));
    }

    private Mono<FalRequest> submit(String endpointId, byte[] body, CallOptions options) {
        HttpCall call = HttpCall.submit(urls.submit(EndpointId.parse(endpointId), options), body,
                options.headers(config.defaultHeaders(), config.defaultPriority()));
        return transport.json(call).map(reply -> accepted(endpointId, reply))
                .doOnNext(observer::submitted);
    }

    private FalRequest accepted(String endpointId, JsonNode reply) {
        String requestId = FalJson.text(reply, "request_id");
        if (requestId == null || requestId.isBlank()) {
            throw api.response("fal accepted the submit but its reply has no request_id: "
                    + Excerpt.of(reply.toString()), null, null, true);
        }
        return urls.fromSubmitReply(endpointId, requestId, reply);
    }

    /** A direct run on fal.run, bounded by {@code timeout} when set (else by the response timeout). */
    public Mono<JsonNode> run(String endpointId, byte[] body, CallOptions options, Duration timeout) {
        Duration responseTimeout = timeout == null ? null : max(timeout, config.http().responseTimeout());
        HttpCall call = HttpCall.run(urls.run(EndpointId.parse(endpointId), options), body,
                options.headers(config.defaultHeaders(), config.defaultPriority()), responseTimeout);
        Mono<JsonNode> run = transport.json(call);
        if (timeout == null) {
            return run;
        }
        return run.timeout(timeout).onErrorMap(TimeoutException.class, e -> api.timeout(
                "fal run of " + endpointId + " did not finish within " + timeout
                        + "; the run may still complete (and be billed) on fal", timeout, null));
    }

    /** The request with every URL filled in (its own where trusted, else derived from its ids). */
    public FalRequest resolve(FalRequest request) {
        EndpointId.parse(request.endpointId());
        return urls.resolve(request);
    }

    public Mono<Status> status(FalRequest request, boolean withLogs) {
        return watcher.status(request, withLogs);
    }

    public Flux<Status> poll(FalRequest request, boolean withLogs, Duration interval) {
        return watcher.poll(request, withLogs, interval);
    }

    public Flux<Status> watch(FalRequest request, boolean withLogs) {
        return watcher.watch(request, withLogs, null, null);
    }

    /** Fetches the result of a request already seen {@link Completed}. */
    public Mono<JsonNode> result(FalRequest request, Completed completed) {
        return transport.json(HttpCall.result(urls.result(request), request.requestId()))
                .map(result -> {
                    if (completed.failed()) {
                        throw api.failure("fal reported request " + request.requestId() + " as failed ("
                                + completed.errorType() + "): " + completed.error(), request.requestId(), null,
                                false);
                    }
                    return result;
                })
                .doOnNext(result -> observer.result(request, result))
                .doOnError(FalException.class, e -> observer.failed(request, e));
    }

    /** Waits for completion in the default mode, bounded by the client's wait timeout, then fetches the result. */
    public Mono<JsonNode> awaitResult(FalRequest request) {
        return awaitResult(request, false, config.waiting().waitTimeout());
    }

    private Mono<JsonNode> awaitResult(FalRequest request, boolean withLogs, Duration deadline) {
        return watcher.watch(request, withLogs, null, null).last()
                .flatMap(completed -> result(request, (Completed) completed))
                .timeout(deadline)
                .onErrorMap(TimeoutException.class, e -> timeout(request, deadline, false))
                .doOnError(FalTimeoutException.class, e -> observer.failed(request, e));
    }

    public Mono<Void> cancel(FalRequest request) {
        return transport.json(HttpCall.cancel(urls.cancel(request), request.requestId()))
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
                    } else {
                        observer.cancelled(request);
                    }
                })
                .then();
    }

    private static boolean alreadyCompleted(FalHttpException e) {
        return e.statusCode() == 400 && e.body().contains("ALREADY_COMPLETED");
    }

    /** Submits, waits for completion, fetches the result. */
    public Mono<JsonNode> subscribe(String endpointId, byte[] body, CallOptions options, WaitSpec spec) {
        Mono<FalRequest> submitting = submit(endpointId, body, options);
        Duration deadline = spec.clientTimeout() != null ? spec.clientTimeout() : config.waiting().waitTimeout();
        return Mono.defer(() -> {
            AtomicReference<FalRequest> submitted = new AtomicReference<>();
            // cached so that a deadline passing during the submit can still cancel the request once fal answers
            Mono<FalRequest> submit = submitting.doOnNext(submitted::set).cache();
            Mono<JsonNode> flow = submit.flatMap(request -> {
                safely(spec.onEnqueue(), request.requestId());
                return watcher.watch(request, spec.withLogs(), spec.mode(), spec.pollInterval())
                        .doOnNext(status -> safely(spec.onQueueUpdate(), status))
                        .last()
                        .flatMap(completed -> result(request, (Completed) completed));
            });
            return flow.timeout(deadline).onErrorMap(TimeoutException.class, e -> {
                FalRequest request = submitted.get();
                FalTimeoutException timeout = timeout(request, deadline, true);
                if (request != null) {
                    observer.failed(request, timeout);
                    cancelQuietly(request);
                } else {
                    // fal may still accept the in-flight submit: cancel it as soon as its id is known
                    submit.subscribe(this::cancelQuietly, ignored -> { });
                }
                return timeout;
            });
        });
    }

    private void cancelQuietly(FalRequest request) {
        cancel(request).timeout(CANCEL_TIMEOUT).subscribe(null, e -> log.debug("Best-effort cancel of {} failed: {}",
                request.requestId(), e.toString()));
    }

    private FalTimeoutException timeout(FalRequest request, Duration deadline, boolean cancels) {
        String id = request == null ? null : request.requestId();
        return api.timeout(request == null
                ? "fal did not accept the submit within " + deadline + "; if it arrives late it is cancelled"
                : "Request " + id + " did not complete within " + deadline
                        + (cancels ? "; asked fal to cancel it" : "; stopped waiting (the request was not cancelled)"),
                deadline, id);
    }

    private static <T> void safely(Consumer<T> callback, T value) {
        try {
            callback.accept(value);
        } catch (RuntimeException e) {
            log.warn("fal subscribe callback failed", e);
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    public void close() {
        tracker.close();
    }
}
