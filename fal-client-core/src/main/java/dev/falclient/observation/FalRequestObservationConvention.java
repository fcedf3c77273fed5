package dev.falclient.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the {@code fal.request} observation. Implement it (or extend
 * {@link DefaultFalRequestObservationConvention}) to change them, and give it to the client builder (Spring: define
 * a bean of this type).
 *
 * <pre>{@code
 * FalClient.builder().observationConvention(new DefaultFalRequestObservationConvention() {
 *     public KeyValues getLowCardinalityKeyValues(FalRequestObservationContext c) {
 *         return super.getLowCardinalityKeyValues(c).and("team", "images");
 *     }
 * });
 * }</pre>
 */
public interface FalRequestObservationConvention extends ObservationConvention<FalRequestObservationContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof FalRequestObservationContext;
    }
}
