/**
 * Auto-configuration of the fal client's {@code fal.request} observation,
 * {@link dev.falclient.spring.autoconfigure.observation.FalObservationAutoConfiguration}.
 */
@NullMarked
package dev.falclient.spring.autoconfigure.observation;

import org.jspecify.annotations.NullMarked;
