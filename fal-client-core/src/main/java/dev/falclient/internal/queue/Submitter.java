package dev.falclient.internal.queue;

import dev.falclient.FalException;
import dev.falclient.FalRequest;
import dev.falclient.internal.ApiFactory;
import dev.falclient.internal.ClientConfig;
import dev.falclient.internal.http.FalTransport;
import dev.falclient.internal.http.HttpCall;
import dev.falclient.internal.json.Excerpt;
import dev.falclient.internal.json.FalJson;
import dev.falclient.internal.observe.ObservedRequest;
import dev.falclient.internal.observe.RequestObserver;
import dev.falclient.observation.FalRequestOutcome;
import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** Queue submits that never lose a request: the request id of every accepted submit reaches the listeners. */
final class Submitter {

    private static final Logger log = LoggerFactory.getLogger(Submitter.class);

    private final ClientConfig config;
    private final ApiFactory api;
    private final FalTransport transport;
    private final RequestUrls urls;
    private final RequestObserver observer;
    private final Consumer<FalRequest> cancelAbandoned;

    Submitter(ClientConfig config, FalTransport transport, RequestUrls urls, RequestObserver observer,
              Consumer<FalRequest> cancelAbandoned) {
        this.config = config;
        this.api = config.api();
        this.transport = transport;
        this.urls = urls;
        this.observer = observer;
        this.cancelAbandoned = cancelAbandoned;
    }

    /**
     * Sends the submit. A subscriber that goes away before the request is written stops it: nothing is sent. One that
     * goes away while it is in flight no longer waits, but the call carries on: fal may accept it, so its request id
     * is still reported to the listeners and the accepted request is cancelled on fal.
     */
    Mono<FalRequest> submit(String endpointId, byte[] body, CallOptions options) {
        HttpCall call = HttpCall.submit(urls.submit(endpointId, options.orWebhookUrl(config.defaultWebhookUrl())), body,
                options.headers(config.defaultHeaders(), config.defaultPriority()), endpointId);
        return Mono.deferContextual(context -> Mono.create(sink -> {
            // the fal.request observation: a child of the caller's (reactive, else thread-bound) observation, and the
            // parent of the submit's HTTP call
            Observation parent = context.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
            ObservedRequest observed = observer.start(endpointId, parent != null ? parent
                    : observer.currentObservation());
            AtomicReference<SubmitState> state = new AtomicReference<>(SubmitState.PENDING);
            // the hook runs just before the request is written: past it, fal may receive the submit
            Runnable onSend = () -> {
                state.compareAndSet(SubmitState.PENDING, SubmitState.SENDING);
                if (state.get().abandoned()) {
                    // no (further) attempt for a caller that is gone: an earlier attempt was provably not accepted
                    throw new NotSent();
                }
            };
            // registered before the call starts: a credential lookup may run (and block) inside subscribe()
            sink.onCancel(() -> {
                if (!state.compareAndSet(SubmitState.PENDING, SubmitState.ABANDONED_BEFORE_SENDING)) {
                    state.set(SubmitState.ABANDONED_WHILE_SENDING);
                }
            });
            transport.reply(call, onSend)
                    .map(reply -> accepted(endpointId, transport.parse(reply, call)))
                    .contextWrite(ctx -> ctx.put(ObservationThreadLocalAccessor.KEY, observed.observation()))
                    .subscribe(request -> {
                        observer.submitted(request, observed);
                        if (state.get() == SubmitState.ABANDONED_WHILE_SENDING) {
                            log.warn("Submit of {} was abandoned by its caller after it was sent; fal accepted it as "
                                    + "request {}, which is now cancelled", endpointId, request.requestId());
                            cancelAbandoned.accept(request);
                        } else {
                            sink.success(request);
                        }
                    }, error -> {
                        // never accepted (or not known to be): nothing of it is left to follow
                        observed.end(state.get() == SubmitState.ABANDONED_BEFORE_SENDING || error instanceof NotSent
                                ? FalRequestOutcome.GIVEN_UP : FalRequestOutcome.FAILED, error);
                        if (!state.get().abandoned()) {
                            sink.error(error);
                        } else if (error instanceof FalException fal && fal.possiblySubmitted()) {
                            log.warn("Submit of {} was abandoned by its caller after it was sent and its outcome is "
                                    + "unknown: {}", endpointId, fal.getMessage());
                        }
                    });
        }));
    }

    private enum SubmitState {
        PENDING, SENDING, ABANDONED_BEFORE_SENDING, ABANDONED_WHILE_SENDING;

        boolean abandoned() {
            return this == ABANDONED_BEFORE_SENDING || this == ABANDONED_WHILE_SENDING;
        }
    }

    /** Stops a submit whose caller went away before it was written. */
    private static final class NotSent extends RuntimeException {
        NotSent() {
            super("abandoned before it was sent", null, false, false);
        }
    }

    private FalRequest accepted(String endpointId, JsonNode reply) {
        String requestId = FalJson.text(reply, "request_id");
        if (requestId == null || requestId.isBlank()) {
            throw api.response("fal accepted the submit but its reply has no request_id: "
                    + Excerpt.of(reply.toString()), null, null, true);
        }
        try {
            return urls.fromSubmitReply(endpointId, requestId, reply);
        } catch (RuntimeException e) {
            throw api.response("fal accepted request " + requestId + " but its reply cannot be used: " + e.getMessage(),
                    requestId, e, true);
        }
    }
}
