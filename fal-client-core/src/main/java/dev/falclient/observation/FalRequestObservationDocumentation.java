package dev.falclient.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations of the fal client and their keys.
 *
 * <pre>{@code
 * registry.get(FalRequestObservationDocumentation.FAL_REQUEST.getName()) ...
 * }</pre>
 */
public enum FalRequestObservationDocumentation implements ObservationDocumentation {

    /**
     * One fal queue request, from the submit to its end as this client sees it: completed (result fetched), failed,
     * cancelled, or given up (see {@link FalRequestOutcome}).
     */
    FAL_REQUEST {
        @Override
        public String getName() {
            return DefaultFalRequestObservationConvention.NAME;
        }

        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultFalRequestObservationConvention.class;
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return LowCardinalityKeyNames.values();
        }

        @Override
        public KeyName[] getHighCardinalityKeyNames() {
            return HighCardinalityKeyNames.values();
        }
    };

    /** Keys with a bounded set of values: tags of the {@code fal.request} timer and span. */
    public enum LowCardinalityKeyNames implements KeyName {

        /** The endpoint id the request was submitted to, e.g. {@code fal-ai/flux/dev}. */
        ENDPOINT {
            @Override
            public String asString() {
                return "fal.endpoint";
            }
        },

        /**
         * How the request ended: {@code completed}, {@code failed}, {@code cancelled}, {@code given_up}
         * ({@link FalRequestOutcome}); {@code unknown} while it runs.
         */
        OUTCOME {
            @Override
            public String asString() {
                return "fal.outcome";
            }
        }
    }

    /** Keys with unbounded values: span tags only, never metric tags. */
    public enum HighCardinalityKeyNames implements KeyName {

        /** fal's request id ({@code none} before fal accepted the submit). */
        REQUEST_ID {
            @Override
            public String asString() {
                return "fal.request_id";
            }
        }
    }
}
