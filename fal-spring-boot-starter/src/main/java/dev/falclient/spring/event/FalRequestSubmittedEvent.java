package dev.falclient.spring.event;

import dev.falclient.FalRequest;

/**
 * fal accepted a queue submit; the request id is known from now on.
 *
 * <pre>{@code
 * @EventListener
 * void on(FalRequestSubmittedEvent e) { jobs.save(e.getEndpointId(), e.getRequestId()); }
 * }</pre>
 */
public class FalRequestSubmittedEvent extends FalRequestEvent {

    private static final long serialVersionUID = 1L;

    /** fal accepted {@code request}. */
    public FalRequestSubmittedEvent(FalRequest request) {
        super(request);
    }
}
