package dev.falclient.spring.event;

import dev.falclient.FalRequest;
import dev.falclient.InProgress;
import java.util.Objects;

/**
 * A runner started working on the request (published once). Log lines arrive as {@link FalRequestLogEvent}s.
 *
 * <pre>{@code
 * @EventListener
 * void on(FalRequestInProgressEvent e) { progress.update(e.getRequestId(), "running"); }
 * }</pre>
 */
public class FalRequestInProgressEvent extends FalRequestEvent {

    private static final long serialVersionUID = 1L;

    private final transient InProgress status;

    /** {@code request} is running. */
    public FalRequestInProgressEvent(FalRequest request, InProgress status) {
        super(request);
        this.status = Objects.requireNonNull(status, "status");
    }

    /** The observed status. */
    public InProgress getStatus() {
        return status;
    }
}
