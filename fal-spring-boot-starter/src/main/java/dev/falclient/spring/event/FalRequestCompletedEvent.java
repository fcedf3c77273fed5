package dev.falclient.spring.event;

import dev.falclient.Completed;
import dev.falclient.FalRequest;

/**
 * fal reports the request as completed (published once). fal also reports failed requests as completed:
 * check {@link #isFailed()}. The output arrives as a {@link FalRequestResultEvent} once the client fetched it.
 *
 * <pre>{@code
 * @EventListener
 * void on(FalRequestCompletedEvent e) {
 *     if (e.isFailed()) log.warn("{} failed: {}", e.getRequestId(), e.getStatus().error());
 * }
 * }</pre>
 */
public class FalRequestCompletedEvent extends FalRequestStatusEvent<Completed> {

    private static final long serialVersionUID = 1L;

    /** {@code request} completed. */
    public FalRequestCompletedEvent(FalRequest request, Completed status) {
        super(request, status);
    }

    /** Whether fal reported an error for this request. */
    public boolean isFailed() {
        return getStatus().failed();
    }

    @Override
    String details() {
        return ", failed=" + getStatus().failed();
    }
}
