package dev.falclient.spring.event;

import dev.falclient.FalRequest;
import java.util.Objects;
import org.springframework.context.ApplicationEvent;

/**
 * Base of the application events the fal starter publishes for the requests the client submits or watches. Listen
 * to this type for every event of a request, or to a subclass for one kind.
 *
 * <pre>{@code
 * @EventListener
 * void on(FalRequestEvent event) {
 *     log.info("{} {}: {}", event.getEndpointId(), event.getRequestId(), event.getClass().getSimpleName());
 * }
 * }</pre>
 *
 * <p>Events of one request are published in order, one at a time, on a starter-owned {@code fal-events-*} thread
 * (never on a Netty event loop); events of different requests may be published concurrently. The source of an
 * event is its {@link FalRequest}. Events of a webhook delivery (see {@code fal.webhook.enabled}) are published on a
 * Reactor bounded-elastic thread before fal gets its answer.
 */
public abstract class FalRequestEvent extends ApplicationEvent {

    private static final long serialVersionUID = 1L;

    private final transient FalRequest request;

    /** An event about {@code request}. */
    protected FalRequestEvent(FalRequest request) {
        super(Objects.requireNonNull(request, "request"));
        this.request = request;
    }

    /** The request this event is about. */
    public FalRequest getRequest() {
        return request;
    }

    /** The endpoint id as given by the caller, e.g. {@code fal-ai/flux/dev}. */
    public String getEndpointId() {
        return request.endpointId();
    }

    /** fal's request id. */
    public String getRequestId() {
        return request.requestId();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[endpointId=" + getEndpointId() + ", requestId=" + getRequestId()
                + details() + "]";
    }

    /** Extra {@code toString()} details of a subclass, starting with {@code ", "}. */
    String details() {
        return "";
    }
}
