package dev.falclient.internal.stream;

import dev.falclient.EndpointId;
import dev.falclient.FalException;
import dev.falclient.internal.ApiFactory;
import dev.falclient.internal.ClientConfig;
import dev.falclient.internal.http.FalTransport;
import dev.falclient.internal.http.HttpCall;
import dev.falclient.internal.http.StreamEvent;
import dev.falclient.internal.json.Excerpt;
import dev.falclient.internal.json.FalJson;
import dev.falclient.internal.queue.CallOptions;
import dev.falclient.internal.queue.RequestUrls;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Streaming runs on {@code fal.run/{endpointId}/stream}: one JSON element per event, in order, the last being the
 * final output. Comments (keep-alives) are skipped but count as activity for the idle watchdog. An in-band error
 * event (named {@code error}, or carrying fal's error body {@code {"detail": …[, "error_type": …]}} and nothing
 * else) ends the stream with the exception fal's error answer would have given.
 */
public final class RunStreamer {

    private static final Logger log = LoggerFactory.getLogger(RunStreamer.class);
    private static final String REQUEST_ID = "x-fal-request-id";

    private final ClientConfig config;
    private final FalTransport transport;
    private final FalJson json;
    private final ApiFactory api;
    private final RequestUrls urls;

    public RunStreamer(ClientConfig config, FalTransport transport, FalJson json) {
        this.config = config;
        this.transport = transport;
        this.json = json;
        this.api = config.api();
        this.urls = new RequestUrls(config.urls().queueUrl(), config.urls().runUrl());
    }

    /**
     * The events of one streaming run; nothing is sent until subscribed, and cancelling closes the connection.
     *
     * @param timeout     bound of the whole stream, {@code null} for the client's run timeout
     * @param idleTimeout longest silence once fal answered, {@code null} for the client's stream idle timeout
     * @param onRequestId gets fal's request id as soon as fal answers
     */
    public Flux<JsonNode> stream(String endpointId, byte[] body, CallOptions options, Duration timeout,
                                 Duration idleTimeout, Consumer<String> onRequestId) {
        EndpointId id = EndpointId.parse(endpointId);
        Duration total = timeout != null ? timeout : config.http().runTimeout();
        Duration idle = idleTimeout != null ? idleTimeout : config.waiting().streamIdleTimeout();
        HttpCall call = HttpCall.stream(urls.stream(id, options.path()), body,
                options.headers(config.defaultHeaders(), config.defaultPriority()), endpointId, total);
        return Flux.defer(() -> {
            Sinks.One<HttpHeaders> answer = Sinks.one();
            AtomicReference<HttpHeaders> answered = new AtomicReference<>(HttpHeaders.EMPTY);
            Flux<JsonNode> events = transport.stream(call, headers -> {
                        answered.set(headers);
                        answer.tryEmitValue(headers);
                        String requestId = headers.getFirst(REQUEST_ID);
                        if (requestId != null) {
                            safely(onRequestId, requestId);
                        }
                    })
                    // the wait for the answer is bounded by the total timeout; from the answer on, by the idle one
                    // on the client's event-loop timer, like every other timeout of the client
                    .timeout(answer.asMono().then(Mono.delay(idle, transport.timer())),
                            event -> Mono.delay(idle, transport.timer()))
                    .onErrorMap(TimeoutException.class, e -> silent(endpointId, answered.get(), idle))
                    .filter(event -> event.hasData() || isErrorEvent(event))
                    .map(event -> data(event, answered.get(), call));
            return untilClosed(events, endpointId, answered);
        });
    }

    private JsonNode data(StreamEvent event, HttpHeaders answer, HttpCall call) {
        if (isErrorEvent(event)) {
            throw transport.eventError(event.text(), answer, call);
        }
        JsonNode node;
        try {
            node = json.read(event.data());
        } catch (JacksonException e) {
            throw api.response(Excerpt.message("fal sent an event that is not JSON in the stream of "
                    + call.endpointId() + ": " + Excerpt.of(event.text())), answer.getFirst(REQUEST_ID), e, true);
        }
        if (isErrorBody(node)) {
            throw transport.eventError(event.text(), answer, call);
        }
        return node;
    }

    private static boolean isErrorEvent(StreamEvent event) {
        return event.isType("error");
    }

    /** fal's error body and nothing else: {@code detail}, optionally with {@code error_type}. */
    private static boolean isErrorBody(JsonNode node) {
        return node.isObject() && node.has("detail")
                && (node.size() == 1 || node.size() == 2 && node.has("error_type"));
    }

    private FalException silent(String endpointId, HttpHeaders answer, Duration idle) {
        String requestId = answer.getFirst(REQUEST_ID);
        return api.timeout("fal sent nothing for " + idle + " on the stream of " + endpointId
                + (requestId == null ? "" : " (request " + requestId + ")")
                + "; stopped reading it (fal may still finish, and bill, the run). Keep-alive comments count as "
                + "activity; raise the stream's idleTimeout for models that pause longer", idle, requestId, true);
    }

    /** Ends the stream with an error naming the run when the client is closed meanwhile. */
    private Flux<JsonNode> untilClosed(Flux<JsonNode> events, String endpointId,
                                       AtomicReference<HttpHeaders> answered) {
        if (transport.isClosed()) {
            return events; // a call on a closed client fails by itself, with IllegalStateException
        }
        AtomicBoolean cut = new AtomicBoolean();
        return events.takeUntilOther(transport.closed().doOnTerminate(() -> cut.set(true)).then(Mono.just(true)))
                .concatWith(Mono.defer(() -> cut.get()
                        ? Mono.error(api.failure("The fal client was closed while streaming from " + endpointId
                                + "; fal may still finish, and bill, the run", answered.get().getFirst(REQUEST_ID),
                                null, true))
                        : Mono.empty()));
    }

    private static void safely(Consumer<String> callback, String requestId) {
        try {
            callback.accept(requestId);
        } catch (RuntimeException e) {
            log.warn("fal stream onRequestId callback failed", e);
        }
    }
}
