package dev.falclient.spring.event;

import dev.falclient.Completed;
import dev.falclient.FalException;
import dev.falclient.FalRequest;
import dev.falclient.FalRequestListener;
import dev.falclient.InProgress;
import dev.falclient.Queued;
import dev.falclient.RequestLog;
import dev.falclient.Status;
import dev.falclient.webhook.FalWebhook;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bridge from the core client's {@link FalRequestListener} callbacks to Spring application events
 * ({@link FalRequestEvent} and its subclasses). The starter registers one as bean {@code falEventPublisher}
 * unless {@code fal.events.enabled=false}; define your own bean of this type (or named {@code falEventPublisher})
 * to replace it.
 *
 * <pre>{@code
 * @Bean
 * FalEventPublisher falEventPublisher(ApplicationEventPublisher publisher) {
 *     return new FalEventPublisher(publisher) {
 *         @Override
 *         public void onLogs(FalRequest request, List<RequestLog> logs) { } // no log events
 *     };
 * }
 * }</pre>
 *
 * <p>The client calls it on its listener executor (in the starter: the {@code fal-events-*} threads), in order
 * per request, so events are published there too. The webhook receiver calls {@link #onWebhook}: a request that is
 * both watched and delivered by webhook still gives one {@link FalRequestCompletedEvent}, one
 * {@link FalRequestResultEvent} and at most one {@link FalRequestFailedEvent} (a result still follows a failure
 * of this client's own wait, so that a paid output is never lost). It remembers the most recent
 * {@value #REMEMBERED_REQUESTS} requests for that.
 */
public class FalEventPublisher implements FalRequestListener {

    /** How many recent requests are remembered to publish each terminal event once. */
    public static final int REMEMBERED_REQUESTS = 10_000;

    /** The endpoint id of events about a request that this instance did not submit (webhooks do not name one). */
    public static final String UNKNOWN_ENDPOINT = "unknown";

    private static final int COMPLETED = 1;
    private static final int RESULT = 2;
    private static final int FAILED = 4;

    private final ApplicationEventPublisher publisher;
    private final Supplier<@Nullable JsonMapper> mapper;
    private volatile @Nullable JsonMapper resolvedMapper;
    private final Map<String, Remembered> requests = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Remembered> eldest) {
            return size() > REMEMBERED_REQUESTS;
        }
    };

    /** What was published about one request, and the request as submitted here (or {@code null}). */
    private static final class Remembered {
        @Nullable FalRequest submitted;
        int published;
    }

    /**
     * Publishes through {@code publisher}; {@link FalRequestResultEvent#getResult(Class)} maps with a plain mapper.
     * Prefer {@link #FalEventPublisher(ApplicationEventPublisher, Supplier)} with the client's mapper.
     */
    public FalEventPublisher(ApplicationEventPublisher publisher) {
        this(publisher, FalEventPublisher::plainMapper);
    }

    /**
     * Publishes through {@code publisher}; result events map with the mapper {@code mapper} supplies, asked once,
     * at the first result (so it may come from the client this publisher listens to, which is built after it); a
     * {@code null} answer means a plain mapper:
     *
     * <pre>{@code new FalEventPublisher(publisher, () -> asyncFalClient.getObject().jsonMapper())}</pre>
     */
    public FalEventPublisher(ApplicationEventPublisher publisher, Supplier<@Nullable JsonMapper> mapper) {
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    private static JsonMapper plainMapper() {
        return JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    }

    private JsonMapper mapper() {
        JsonMapper resolved = resolvedMapper;
        if (resolved == null) {
            JsonMapper supplied = mapper.get();
            resolved = supplied == null ? plainMapper() : supplied;
            resolvedMapper = resolved;
        }
        return resolved;
    }

    @Override
    public void onSubmitted(FalRequest request) {
        Remembered r = remembered(request.requestId());
        synchronized (r) {
            r.submitted = request;
        }
        publish(new FalRequestSubmittedEvent(request));
    }

    /**
     * A verified webhook delivery: publishes {@link FalRequestCompletedEvent}, then {@link FalRequestResultEvent}
     * with the payload on {@code OK} or {@link FalRequestFailedEvent} with
     * {@link dev.falclient.webhook.FalWebhookErrorException} on {@code ERROR}, each unless already published for the
     * request. The events' request is the one submitted here, else one with endpoint id {@value #UNKNOWN_ENDPOINT}.
     * Runs on the caller's thread.
     */
    public void onWebhook(FalWebhook webhook) {
        Remembered r = remembered(webhook.requestId());
        synchronized (r) {
            FalRequest request = r.submitted != null ? r.submitted
                    : new FalRequest(UNKNOWN_ENDPOINT, webhook.requestId());
            Completed completed = new Completed(List.of(), Map.of(), webhook.ok() ? null : webhook.error(),
                    null);
            if (first(r, COMPLETED, COMPLETED)) {
                publish(new FalRequestCompletedEvent(request, completed));
            }
            if (webhook.ok() && webhook.payload().isNull()) {
                // fal could not serialise the output: nothing to publish but the completion (fetch it instead)
                return;
            }
            if (webhook.ok() ? first(r, RESULT, RESULT) : first(r, RESULT | FAILED, FAILED)) {
                publish(webhook.ok() ? new FalRequestResultEvent(request, webhook.payload(), mapper())
                        : new FalRequestFailedEvent(request, webhook.failure().orElseThrow()));
            }
        }
    }

    private Remembered remembered(String requestId) {
        synchronized (requests) {
            return requests.computeIfAbsent(requestId, id -> new Remembered());
        }
    }

    /** Whether none of {@code seen} was published yet; marks {@code mark} as published. */
    private static boolean first(Remembered r, int seen, int mark) {
        boolean first = (r.published & seen) == 0;
        if (first) {
            r.published |= mark;
        }
        return first;
    }

    @Override
    public void onStatusChanged(FalRequest request, Status status) {
        if (status instanceof Queued queued) {
            publish(new FalRequestQueuedEvent(request, queued));
        } else if (status instanceof InProgress inProgress) {
            publish(new FalRequestInProgressEvent(request, inProgress));
        } else if (status instanceof Completed completed) {
            Remembered r = remembered(request.requestId());
            synchronized (r) {
                if (first(r, COMPLETED, COMPLETED)) {
                    publish(new FalRequestCompletedEvent(request, completed));
                }
            }
        }
    }

    @Override
    public void onLogs(FalRequest request, List<RequestLog> newLogs) {
        if (!newLogs.isEmpty()) {
            publish(new FalRequestLogEvent(request, newLogs));
        }
    }

    @Override
    public void onResult(FalRequest request, JsonNode result) {
        Remembered r = remembered(request.requestId());
        synchronized (r) {
            if (first(r, RESULT, RESULT)) {
                publish(new FalRequestResultEvent(request, result, mapper()));
            }
        }
    }

    @Override
    public void onFailed(FalRequest request, FalException error) {
        Remembered r = remembered(request.requestId());
        synchronized (r) {
            if (first(r, RESULT | FAILED, FAILED)) {
                publish(new FalRequestFailedEvent(request, error));
            }
        }
    }

    @Override
    public void onCancelled(FalRequest request) {
        publish(new FalRequestCancelledEvent(request));
    }

    /** Publishes one event; override to filter or decorate. */
    protected void publish(FalRequestEvent event) {
        publisher.publishEvent(event);
    }

    @Override
    public String toString() {
        return "FalEventPublisher";
    }
}
