package dev.falclient.observation;

import io.micrometer.observation.Observation;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the {@code fal.request} observation knows about one fal request: its endpoint id, fal's request id once the
 * submit was accepted, and how it ended. The client fills it in; a {@link FalRequestObservationConvention} reads it.
 *
 * <pre>{@code
 * String endpoint = context.getEndpointId();
 * }</pre>
 */
public class FalRequestObservationContext extends Observation.Context {

    private final String endpointId;
    private volatile @Nullable String requestId;
    private volatile @Nullable FalRequestOutcome outcome;
    private volatile @Nullable String errorType;

    public FalRequestObservationContext(String endpointId) {
        this.endpointId = Objects.requireNonNull(endpointId, "endpointId");
    }

    /** The endpoint id the request was submitted to, e.g. {@code fal-ai/flux/dev}. */
    public String getEndpointId() {
        return endpointId;
    }

    /** fal's request id, {@code null} until fal accepted the submit (and forever when it did not). */
    public @Nullable String getRequestId() {
        return requestId;
    }

    /** Set by the client when fal accepts the submit. */
    public void setRequestId(@Nullable String requestId) {
        this.requestId = requestId;
    }

    /** How the request ended; {@code null} while it runs. */
    public @Nullable FalRequestOutcome getOutcome() {
        return outcome;
    }

    /** Set by the client just before the observation stops. */
    public void setOutcome(@Nullable FalRequestOutcome outcome) {
        this.outcome = outcome;
    }

    /**
     * fal's error type when fal completed the request with an error (e.g. {@code runner_disconnected}), else
     * {@code null}. Not a key of the default convention; a custom one may add it.
     */
    public @Nullable String getErrorType() {
        return errorType;
    }

    /** Set by the client when fal reports the request completed with an error. */
    public void setErrorType(@Nullable String errorType) {
        this.errorType = errorType;
    }
}
