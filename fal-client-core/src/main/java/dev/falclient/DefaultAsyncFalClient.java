package dev.falclient;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** The one implementation behind both client faces. */
final class DefaultAsyncFalClient implements AsyncFalClient {

    private static final Logger log = LoggerFactory.getLogger(DefaultAsyncFalClient.class);
    private static final Duration CANCEL_TIMEOUT = Duration.ofSeconds(10);

    private final FalClientSettings settings;
    private final FalTransport transport;
    private final StatusParser statuses;
    private final RequestObserver observer;
    private final Disposable.Composite tracked = Disposables.composite();
    private final AtomicInteger trackedCount = new AtomicInteger();
    private final AtomicInteger openStreams = new AtomicInteger();
    private final DefaultFalClient blocking;

    DefaultAsyncFalClient(FalClientSettings settings) {
        this.settings = settings;
        this.transport = new FalTransport(settings);
        this.statuses = new StatusParser(settings.mapper());
        this.observer = new RequestObserver(settings.listeners(), settings.listenerExecutor(),
                settings.maxObservedRequests());
        this.blocking = new DefaultFalClient(this);
    }

    // ---- submit / run / subscribe -------------------------------------------------------------------------------

    @Override
    public Mono<AsyncRequestHandle> submit(String endpointId, Object arguments, SubmitOptions options) {
        Objects.requireNonNull(options, "options");
        EndpointId id = EndpointId.parse(endpointId);
        byte[] body = serialize(arguments);
        boolean track = options.track() != null ? options.track() : settings.trackSubmitted();
        Mono<AsyncRequestHandle> submit = submit(endpointId, id, body, options.common());
        if (!track) {
            return submit;
        }
        return Mono.defer(() -> {
            if (trackedCount.incrementAndGet() > settings.maxTrackedRequests()) {
                trackedCount.decrementAndGet();
                return Mono.error(new FalException("Not submitted: " + settings.maxTrackedRequests()
                        + " requests are already tracked in the background (raise maxTrackedRequests, Spring: "
                        + "fal.events.max-tracked, or submit without tracking)"));
            }
            AtomicBoolean settled = new AtomicBoolean();
            Runnable release = () -> {
                if (settled.compareAndSet(false, true)) {
                    trackedCount.decrementAndGet();
                }
            };
            // released in doOnError (before the caller sees the error), not only in doFinally (after it)
            return submit.doOnNext(handle -> {
                settled.set(true);
                track(handle);
            }).doOnError(e -> release.run()).doFinally(signal -> release.run());
        });
    }

    private Mono<AsyncRequestHandle> submit(String endpointId, EndpointId id, byte[] body, RequestOptions options) {
        UriComponentsBuilder uri = base(settings.queueUrl()).pathSegment(segments(id.fullSegments(), options));
        Map<String, String> vars = new LinkedHashMap<>();
        if (options.webhookUrl() != null) {
            // as a URI variable so it is encoded strictly ('+', '&', '=', '#' escaped): a literal '+' would reach
            // fal as a space
            uri.queryParam("fal_webhook", "{falWebhook}");
            vars.put("falWebhook", options.webhookUrl());
        }
        FalTransport.Call call = new FalTransport.Call(HttpMethod.POST, uri.encode().buildAndExpand(vars).toUri(),
                body, headers(options), true, null, null);
        return transport.json(call).map(json -> handleFromSubmit(endpointId, id, json))
                .doOnNext(handle -> observer.submitted(handle.request()));
    }

    private AsyncRequestHandle handleFromSubmit(String endpointId, EndpointId id, JsonNode json) {
        String requestId = StatusParser.text(json, "request_id");
        if (requestId == null || requestId.isBlank()) {
            throw new FalException("fal accepted the submit but its reply has no request_id: "
                    + Excerpt.of(json.toString()), null, null, true);
        }
        AsyncRequestHandle derived = handle(endpointId, id, requestId);
        return new AsyncRequestHandle(this, endpointId, id, requestId,
                trusted(StatusParser.text(json, "status_url"), derived.statusUrl()),
                trusted(StatusParser.text(json, "response_url"), derived.responseUrl()),
                trusted(StatusParser.text(json, "cancel_url"), derived.cancelUrl()));
    }

    /**
     * fal's returned URLs are preferred (they are right for every endpoint shape), but only when they point below
     * the configured queue URL: behind a gateway or proxy they would bypass it and send the key straight to fal.
     */
    private String trusted(String returned, String derived) {
        if (returned != null && returned.startsWith(settings.queueUrl() + "/")) {
            return returned;
        }
        if (returned != null) {
            log.debug("Ignoring fal URL {} outside the configured queue URL {}", returned, settings.queueUrl());
        }
        return derived;
    }

    @Override
    public Mono<JsonNode> run(String endpointId, Object arguments, RunOptions options) {
        Objects.requireNonNull(options, "options");
        EndpointId id = EndpointId.parse(endpointId);
        byte[] body = serialize(arguments);
        RequestOptions common = options.common();
        URI uri = base(settings.runUrl()).pathSegment(segments(id.fullSegments(), common)).encode().build().toUri();
        Duration timeout = options.timeout();
        FalTransport.Call call = new FalTransport.Call(HttpMethod.POST, uri, body, headers(common), true, null,
                timeout == null ? null : max(timeout, settings.responseTimeout()));
        Mono<JsonNode> run = transport.json(call);
        if (timeout == null) {
            return run;
        }
        return run.timeout(timeout).onErrorMap(TimeoutException.class, e -> new FalTimeoutException(
                "fal run of " + endpointId + " did not finish within " + timeout
                        + "; the run may still complete (and be billed) on fal", timeout, null));
    }

    @Override
    public <T> Mono<T> run(String endpointId, Object arguments, RunOptions options, Class<T> type) {
        Objects.requireNonNull(type, "type");
        return run(endpointId, arguments, options).map(node -> convert(node, type, null));
    }

    @Override
    public Mono<JsonNode> subscribe(String endpointId, Object arguments, SubscribeOptions options) {
        Objects.requireNonNull(options, "options");
        EndpointId id = EndpointId.parse(endpointId);
        byte[] body = serialize(arguments);
        Duration deadline = options.clientTimeout() != null ? options.clientTimeout() : settings.waitTimeout();
        return Mono.defer(() -> {
            AtomicReference<AsyncRequestHandle> submitted = new AtomicReference<>();
            // cached so that a deadline passing during the submit can still cancel the request once fal answers
            Mono<AsyncRequestHandle> submit = submit(endpointId, id, body, options.common())
                    .doOnNext(submitted::set).cache();
            Mono<JsonNode> flow = submit.flatMap(handle -> {
                safely(options.onEnqueue(), handle.requestId());
                return watch(handle, options.withLogs(), options.mode(), options.pollInterval())
                        .doOnNext(status -> safely(options.onQueueUpdate(), status))
                        .last()
                        .flatMap(completed -> fetchResult(handle, (Completed) completed));
            });
            return flow.timeout(deadline).onErrorMap(TimeoutException.class, e -> {
                AsyncRequestHandle handle = submitted.get();
                FalTimeoutException timeout = timeout(handle, deadline, true);
                if (handle != null) {
                    observer.failed(handle.request(), timeout);
                    cancelQuietly(handle);
                } else {
                    // fal may still accept the in-flight submit: cancel it as soon as its id is known
                    submit.subscribe(this::cancelQuietly, ignored -> { });
                }
                return timeout;
            });
        });
    }

    @Override
    public <T> Mono<T> subscribe(String endpointId, Object arguments, SubscribeOptions options, Class<T> type) {
        Objects.requireNonNull(type, "type");
        return subscribe(endpointId, arguments, options).map(node -> convert(node, type, null));
    }

    // ---- handles -----------------------------------------------------------------------------------------------

    @Override
    public AsyncRequestHandle handle(String endpointId, String requestId) {
        EndpointId id = EndpointId.parse(endpointId);
        if (requestId == null || requestId.isBlank()) {
            throw new IllegalArgumentException("requestId must not be blank");
        }
        return handle(endpointId, id, requestId.trim());
    }

    private AsyncRequestHandle handle(String endpointId, EndpointId id, String requestId) {
        String base = base(settings.queueUrl()).pathSegment(id.appSegments().toArray(String[]::new))
                .pathSegment("requests", requestId).encode().build().toUriString();
        return new AsyncRequestHandle(this, endpointId, id, requestId, base + "/status", base, base + "/cancel");
    }

    Mono<Status> status(AsyncRequestHandle handle, boolean withLogs) {
        URI uri = withLogs(handle.statusUrl(), withLogs);
        return transport.json(get(uri, handle.requestId()))
                .map(json -> statuses.parse(json, handle.requestId()))
                .doOnNext(status -> observer.status(handle.request(), status));
    }

    /** Polls until the first {@link Completed} (included). */
    Flux<Status> poll(AsyncRequestHandle handle, boolean withLogs, Duration interval) {
        return Mono.defer(() -> status(handle, withLogs))
                .repeatWhen(done -> done.concatMap(tick -> Mono.delay(interval)))
                .takeUntil(Completed.class::isInstance);
    }

    /** Watches with the given (or default) mode until the first {@link Completed} (included). */
    Flux<Status> watch(AsyncRequestHandle handle, boolean withLogs, StatusMode mode, Duration pollInterval) {
        Duration interval = pollInterval != null ? pollInterval : settings.pollInterval();
        if ((mode != null ? mode : settings.statusMode()) == StatusMode.POLLING) {
            return poll(handle, withLogs, interval);
        }
        return Flux.defer(() -> {
            if (openStreams.incrementAndGet() > settings.maxStatusStreams()) {
                openStreams.decrementAndGet();
                return poll(handle, withLogs, interval);
            }
            AtomicBoolean released = new AtomicBoolean();
            AtomicReference<Status> last = new AtomicReference<>();
            Flux<Status> stream = transport.events(get(withLogs(handle.statusUrl() + "/stream", withLogs),
                            handle.requestId()))
                    .map(data -> statuses.parse(parse(data, handle.requestId()), handle.requestId()))
                    .timeout(settings.streamIdleTimeout())
                    .takeUntil(Completed.class::isInstance)
                    .doOnNext(status -> {
                        last.set(status);
                        observer.status(handle.request(), status);
                    })
                    .onErrorResume(e -> !(e instanceof MissingCredentialsException), e -> {
                        log.debug("Status stream of {} failed ({}); polling instead", handle.requestId(), e.toString());
                        return Mono.empty();
                    })
                    .doFinally(signal -> {
                        if (released.compareAndSet(false, true)) {
                            openStreams.decrementAndGet();
                        }
                    });
            return stream.concatWith(Flux.defer(() -> {
                if (last.get() instanceof Completed) {
                    return Flux.empty();
                }
                log.debug("Status stream of {} ended before COMPLETED; polling instead", handle.requestId());
                return poll(handle, withLogs, interval);
            }));
        });
    }

    Mono<Void> cancel(AsyncRequestHandle handle) {
        FalTransport.Call call = new FalTransport.Call(HttpMethod.PUT, URI.create(handle.cancelUrl()), null,
                Map.of(), false, handle.requestId(), null);
        return transport.json(call)
                .map(json -> {
                    String outcome = StatusParser.text(json, "status");
                    if ("NOT_FOUND".equals(outcome)) {
                        throw new FalException("fal does not know request " + handle.requestId() + " of "
                                + handle.endpointId() + " (NOT_FOUND)", handle.requestId());
                    }
                    return outcome == null ? "" : outcome;
                })
                .onErrorResume(FalHttpException.class, e -> alreadyCompleted(e)
                        ? Mono.just("ALREADY_COMPLETED") : Mono.error(e))
                .doOnNext(outcome -> {
                    if ("ALREADY_COMPLETED".equals(outcome)) {
                        log.debug("Cancel of {}: already completed", handle.requestId());
                    } else {
                        observer.cancelled(handle.request());
                    }
                })
                .then();
    }

    private static boolean alreadyCompleted(FalHttpException e) {
        return e.statusCode() == 400 && e.body().contains("ALREADY_COMPLETED");
    }

    /** Waits for completion (default mode, bounded by the wait timeout), then fetches the result. */
    Mono<JsonNode> awaitResult(AsyncRequestHandle handle) {
        return awaitResult(handle, false, settings.waitTimeout());
    }

    private Mono<JsonNode> awaitResult(AsyncRequestHandle handle, boolean withLogs, Duration deadline) {
        return watch(handle, withLogs, null, null).last()
                .flatMap(completed -> fetchResult(handle, (Completed) completed))
                .timeout(deadline)
                .onErrorMap(TimeoutException.class, e -> timeout(handle, deadline, false))
                .doOnError(FalTimeoutException.class, e -> observer.failed(handle.request(), e));
    }

    private Mono<JsonNode> fetchResult(AsyncRequestHandle handle, Completed completed) {
        return transport.json(get(URI.create(handle.responseUrl()), handle.requestId()))
                .map(result -> {
                    if (completed.failed()) {
                        throw new FalException("fal reported request " + handle.requestId() + " as failed ("
                                + completed.errorType() + "): " + completed.error(), handle.requestId());
                    }
                    return result;
                })
                .doOnNext(result -> observer.result(handle.request(), result))
                .doOnError(FalException.class, e -> observer.failed(handle.request(), e));
    }

    private void track(AsyncRequestHandle handle) {
        AtomicReference<Disposable> self = new AtomicReference<>();
        Disposable subscription = awaitResult(handle, settings.trackWithLogs(), settings.waitTimeout())
                .doFinally(signal -> {
                    trackedCount.decrementAndGet();
                    Disposable d = self.get();
                    if (d != null) {
                        tracked.remove(d);
                    }
                })
                .subscribe(result -> { }, error -> log.debug("Tracking of {} ended with {}", handle.requestId(),
                        error.toString()));
        self.set(subscription);
        if (!subscription.isDisposed()) {
            tracked.add(subscription);
        }
    }

    private void cancelQuietly(AsyncRequestHandle handle) {
        cancel(handle).timeout(CANCEL_TIMEOUT).subscribe(null, e -> log.debug("Best-effort cancel of {} failed: {}",
                handle.requestId(), e.toString()));
    }

    private static FalTimeoutException timeout(AsyncRequestHandle handle, Duration deadline, boolean cancels) {
        String id = handle == null ? null : handle.requestId();
        return new FalTimeoutException(handle == null
                ? "fal did not accept the submit within " + deadline + "; if it arrives late it is cancelled"
                : "Request " + id + " did not complete within " + deadline
                        + (cancels ? "; asked fal to cancel it" : "; stopped waiting (the request was not cancelled)"),
                deadline, id);
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private FalTransport.Call get(URI uri, String requestId) {
        return new FalTransport.Call(HttpMethod.GET, uri, null, Map.of(), false, requestId, null);
    }

    private static URI withLogs(String url, boolean withLogs) {
        UriComponentsBuilder b = UriComponentsBuilder.fromUriString(url);
        if (withLogs) {
            b.replaceQueryParam("logs", "1");
        }
        return b.build(true).toUri();
    }

    private static UriComponentsBuilder base(String baseUrl) {
        return UriComponentsBuilder.fromUriString(baseUrl);
    }

    private static String[] segments(List<String> idSegments, RequestOptions options) {
        List<String> all = new ArrayList<>(idSegments);
        if (options.path() != null && !options.path().isBlank()) {
            for (String part : options.path().split("/")) {
                if (!part.isBlank()) {
                    all.add(part);
                }
            }
        }
        return all.toArray(String[]::new);
    }

    private Map<String, String> headers(RequestOptions options) {
        Map<String, String> headers = new LinkedHashMap<>(settings.defaultHeaders());
        headers.putAll(options.headers());
        if (options.startTimeout() != null) {
            headers.put("X-Fal-Request-Timeout", seconds(options.startTimeout()));
        }
        if (options.hint() != null && !options.hint().isBlank()) {
            headers.put("X-Fal-Runner-Hint", options.hint());
        }
        Priority priority = options.priority() != null ? options.priority() : settings.defaultPriority();
        if (priority != null) {
            headers.put("X-Fal-Queue-Priority", priority.headerValue());
        }
        return headers;
    }

    static String seconds(Duration d) {
        return BigDecimal.valueOf(d.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString();
    }

    private byte[] serialize(Object arguments) {
        if (arguments == null) {
            throw new IllegalArgumentException("arguments must not be null; pass Map.of() for an empty input");
        }
        try {
            return settings.mapper().writeValueAsBytes(arguments);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("arguments of type " + arguments.getClass().getName()
                    + " cannot be serialised to JSON: " + e.getOriginalMessage(), e);
        }
    }

    private JsonNode parse(String data, String requestId) {
        try {
            return settings.mapper().readTree(data);
        } catch (JacksonException e) {
            throw new FalException("fal sent malformed JSON in a status event: " + Excerpt.of(data), requestId, e);
        }
    }

    <T> T convert(JsonNode node, Class<T> type, String requestId) {
        try {
            return settings.mapper().treeToValue(node, type);
        } catch (JacksonException e) {
            throw new FalException("fal's output cannot be mapped onto " + type.getName() + ": "
                    + e.getOriginalMessage(), requestId, e);
        }
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

    // ---- lifecycle ---------------------------------------------------------------------------------------------

    @Override
    public FalClient blocking() {
        return blocking;
    }

    @Override
    public FalClientStats stats() {
        return transport.stats();
    }

    @Override
    public void close() {
        tracked.dispose();
        transport.close();
    }

    @Override
    public String toString() {
        return "AsyncFalClient[queueUrl=" + settings.queueUrl() + ", runUrl=" + settings.runUrl() + "]";
    }
}
