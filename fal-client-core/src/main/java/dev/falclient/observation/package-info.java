/**
 * Micrometer observation of fal requests: one {@code fal.request} observation per queue request, from submit to its
 * end, with a replaceable {@link dev.falclient.observation.FalRequestObservationConvention} and the documented keys
 * of {@link dev.falclient.observation.FalRequestObservationDocumentation}.
 *
 * <pre>{@code
 * FalClient fal = FalClient.builder().observationRegistry(observationRegistry).build();
 * }</pre>
 */
@NullMarked
package dev.falclient.observation;

import org.jspecify.annotations.NullMarked;
