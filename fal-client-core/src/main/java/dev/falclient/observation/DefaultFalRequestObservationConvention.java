package dev.falclient.observation;

import dev.falclient.observation.FalRequestObservationDocumentation.HighCardinalityKeyNames;
import dev.falclient.observation.FalRequestObservationDocumentation.LowCardinalityKeyNames;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

/**
 * The default convention of the {@code fal.request} observation: name {@value #NAME}, contextual (span) name
 * {@code fal <endpoint id>}, low-cardinality keys {@code fal.endpoint} and {@code fal.outcome}, high-cardinality key
 * {@code fal.request_id} (see {@link FalRequestObservationDocumentation}).
 *
 * <pre>{@code
 * new DefaultFalRequestObservationConvention().getName(); // "fal.request"
 * }</pre>
 */
public class DefaultFalRequestObservationConvention implements FalRequestObservationConvention {

    /** The observation's name, and so the name of its timer ({@code fal.request}) and span. */
    public static final String NAME = "fal.request";

    /** The {@code fal.outcome} value while the request runs (the start tags of the long task timer). */
    public static final String OUTCOME_UNKNOWN = "unknown";

    /** The {@code fal.request_id} value before fal accepted the submit. */
    public static final String NO_REQUEST_ID = "none";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String getContextualName(FalRequestObservationContext context) {
        return "fal " + context.getEndpointId();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(FalRequestObservationContext context) {
        return KeyValues.of(endpoint(context), outcome(context));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(FalRequestObservationContext context) {
        return KeyValues.of(requestId(context));
    }

    /** The {@code fal.endpoint} key: the endpoint id the request was submitted to. */
    protected KeyValue endpoint(FalRequestObservationContext context) {
        return KeyValue.of(LowCardinalityKeyNames.ENDPOINT, context.getEndpointId());
    }

    /** The {@code fal.outcome} key: {@link FalRequestOutcome#value()}, {@value #OUTCOME_UNKNOWN} while running. */
    protected KeyValue outcome(FalRequestObservationContext context) {
        FalRequestOutcome outcome = context.getOutcome();
        return KeyValue.of(LowCardinalityKeyNames.OUTCOME, outcome == null ? OUTCOME_UNKNOWN : outcome.value());
    }

    /** The {@code fal.request_id} key: fal's request id, {@value #NO_REQUEST_ID} before fal accepted the submit. */
    protected KeyValue requestId(FalRequestObservationContext context) {
        String id = context.getRequestId();
        return KeyValue.of(HighCardinalityKeyNames.REQUEST_ID, id == null ? NO_REQUEST_ID : id);
    }
}
