package dev.falclient.spring.event;

import dev.falclient.FalException;
import dev.falclient.FalRequest;
import java.util.Objects;

/**
 * A call about the request ended in an error: the result call failed (including a request fal reports as
 * failed), the client deadline passed, or background tracking failed. Published once per request.
 *
 * <pre>{@code
 * @EventListener
 * void on(FalRequestFailedEvent e) { log.warn("{} failed", e.getRequestId(), e.getError()); }
 * }</pre>
 */
public class FalRequestFailedEvent extends FalRequestEvent {

    private static final long serialVersionUID = 1L;

    private final FalException error;

    /** A call about {@code request} failed with {@code error}. */
    public FalRequestFailedEvent(FalRequest request, FalException error) {
        super(request);
        this.error = Objects.requireNonNull(error, "error");
    }

    /** The failure. */
    public FalException getError() {
        return error;
    }

    @Override
    String details() {
        return ", error=" + error.getClass().getSimpleName();
    }
}
