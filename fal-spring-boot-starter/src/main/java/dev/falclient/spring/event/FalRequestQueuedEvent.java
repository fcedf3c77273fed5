package dev.falclient.spring.event;

import dev.falclient.FalRequest;
import dev.falclient.Queued;
import java.util.Objects;

/**
 * The request waits in fal's queue: published at the first observation and whenever the queue position changes.
 *
 * <pre>{@code
 * @EventListener
 * void on(FalRequestQueuedEvent e) { progress.update(e.getRequestId(), "position " + e.getPosition()); }
 * }</pre>
 */
public class FalRequestQueuedEvent extends FalRequestEvent {

    private static final long serialVersionUID = 1L;

    private final transient Queued status;

    /** {@code request} waits with the given status. */
    public FalRequestQueuedEvent(FalRequest request, Queued status) {
        super(request);
        this.status = Objects.requireNonNull(status, "status");
    }

    /** The observed status. */
    public Queued getStatus() {
        return status;
    }

    /** Number of requests ahead of this one (0-based). */
    public int getPosition() {
        return status.position();
    }

    @Override
    String details() {
        return ", position=" + status.position();
    }
}
