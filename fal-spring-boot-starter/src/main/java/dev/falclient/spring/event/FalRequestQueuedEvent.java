package dev.falclient.spring.event;

import dev.falclient.FalRequest;
import dev.falclient.Queued;

/**
 * The request waits in fal's queue: published at the first observation and whenever the queue position changes.
 *
 * <pre>{@code
 * @EventListener
 * void on(FalRequestQueuedEvent e) { progress.update(e.getRequestId(), "position " + e.getPosition()); }
 * }</pre>
 */
public class FalRequestQueuedEvent extends FalRequestStatusEvent<Queued> {

    private static final long serialVersionUID = 1L;

    /** {@code request} waits with the given status. */
    public FalRequestQueuedEvent(FalRequest request, Queued status) {
        super(request, status);
    }

    /** Number of requests ahead of this one (0-based). */
    public int getPosition() {
        return getStatus().position();
    }

    @Override
    String details() {
        return ", position=" + getStatus().position();
    }
}
