package dev.falclient.spring.event;

import dev.falclient.Completed;
import dev.falclient.FalException;
import dev.falclient.FalRequest;
import dev.falclient.FalRequestListener;
import dev.falclient.InProgress;
import dev.falclient.Queued;
import dev.falclient.RequestLog;
import dev.falclient.Status;
import java.util.List;
import java.util.Objects;
import org.springframework.context.ApplicationEventPublisher;
import tools.jackson.databind.JsonNode;

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
 * per request, so events are published there too.
 */
public class FalEventPublisher implements FalRequestListener {

    private final ApplicationEventPublisher publisher;

    /** Publishes through {@code publisher}. */
    public FalEventPublisher(ApplicationEventPublisher publisher) {
        this.publisher = Objects.requireNonNull(publisher, "publisher");
    }

    @Override
    public void onSubmitted(FalRequest request) {
        publish(new FalRequestSubmittedEvent(request));
    }

    @Override
    public void onStatusChanged(FalRequest request, Status status) {
        if (status instanceof Queued queued) {
            publish(new FalRequestQueuedEvent(request, queued));
        } else if (status instanceof InProgress inProgress) {
            publish(new FalRequestInProgressEvent(request, inProgress));
        } else if (status instanceof Completed completed) {
            publish(new FalRequestCompletedEvent(request, completed));
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
        publish(new FalRequestResultEvent(request, result));
    }

    @Override
    public void onFailed(FalRequest request, FalException error) {
        publish(new FalRequestFailedEvent(request, error));
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
