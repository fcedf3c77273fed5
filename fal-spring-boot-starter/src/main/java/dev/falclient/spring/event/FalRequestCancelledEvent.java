package dev.falclient.spring.event;

import dev.falclient.FalRequest;

/**
 * fal accepted a cancel of the request (published once).
 *
 * <pre>{@code
 * @EventListener
 * void on(FalRequestCancelledEvent e) { jobs.markCancelled(e.getRequestId()); }
 * }</pre>
 */
public class FalRequestCancelledEvent extends FalRequestEvent {

    private static final long serialVersionUID = 1L;

    /** {@code request} was cancelled. */
    public FalRequestCancelledEvent(FalRequest request) {
        super(request);
    }
}
