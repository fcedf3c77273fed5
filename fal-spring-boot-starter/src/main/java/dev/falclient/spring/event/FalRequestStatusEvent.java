package dev.falclient.spring.event;

import dev.falclient.FalRequest;
import dev.falclient.Status;
import java.util.Objects;

/**
 * Base of the events for an observed status transition: {@link FalRequestQueuedEvent},
 * {@link FalRequestInProgressEvent} and {@link FalRequestCompletedEvent}. Listen to this type for every transition.
 *
 * <pre>{@code
 * @EventListener
 * void on(FalRequestStatusEvent<?> e) { progress.update(e.getRequestId(), e.getStatus()); }
 * }</pre>
 *
 * @param <S> the kind of status
 */
public abstract class FalRequestStatusEvent<S extends Status> extends FalRequestEvent {

    private static final long serialVersionUID = 1L;

    private final transient S status;

    /** {@code request} was observed with {@code status}. */
    protected FalRequestStatusEvent(FalRequest request, S status) {
        super(request);
        this.status = Objects.requireNonNull(status, "status");
    }

    /** The observed status. */
    public S getStatus() {
        return status;
    }
}
