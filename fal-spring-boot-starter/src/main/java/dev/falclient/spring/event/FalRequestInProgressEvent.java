package dev.falclient.spring.event;

import dev.falclient.FalRequest;
import dev.falclient.InProgress;

/**
 * A runner started working on the request (published once). Log lines arrive as {@link FalRequestLogEvent}s.
 *
 * <pre>{@code
 * @EventListener
 * void on(FalRequestInProgressEvent e) { progress.update(e.getRequestId(), "running"); }
 * }</pre>
 */
public class FalRequestInProgressEvent extends FalRequestStatusEvent<InProgress> {

    private static final long serialVersionUID = 1L;

    /** {@code request} is running. */
    public FalRequestInProgressEvent(FalRequest request, InProgress status) {
        super(request, status);
    }
}
