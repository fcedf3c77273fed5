package dev.falclient.internal.observe;

import dev.falclient.observation.FalRequestObservationContext;
import dev.falclient.observation.FalRequestOutcome;
import io.micrometer.observation.Observation;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The {@code fal.request} observation of one request (a no-op one when no registry is configured). It ends once,
 * with the first outcome; later ones are ignored.
 */
public final class ObservedRequest {

    static final ObservedRequest NONE = new ObservedRequest(Observation.NOOP, null);

    private final Observation observation;
    private final @Nullable FalRequestObservationContext context;
    private final AtomicBoolean ended = new AtomicBoolean();

    ObservedRequest(Observation observation, @Nullable FalRequestObservationContext context) {
        this.observation = observation;
        this.context = context;
    }

    /** The observation, e.g. to make it the parent of the HTTP calls about the request. */
    public Observation observation() {
        return observation;
    }

    /** fal accepted the submit. */
    void accepted(String requestId) {
        if (context != null) {
            context.setRequestId(requestId);
        }
    }

    /** fal completed the request with an error of this type. */
    void falError(@Nullable String errorType) {
        if (context != null) {
            context.setErrorType(errorType);
        }
    }

    /** Stops the observation with {@code outcome} (and {@code error}), unless it already ended. */
    public void end(FalRequestOutcome outcome, @Nullable Throwable error) {
        if (context == null || !ended.compareAndSet(false, true)) {
            return;
        }
        context.setOutcome(outcome);
        if (error != null) {
            observation.error(error);
        }
        observation.stop();
    }

    boolean isOpen() {
        return context != null && !ended.get();
    }
}
