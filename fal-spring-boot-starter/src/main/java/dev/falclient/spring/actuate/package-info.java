/**
 * The read-only {@code fal} actuator endpoint, {@link dev.falclient.spring.actuate.FalEndpoint}.
 */
@NullMarked
package dev.falclient.spring.actuate;

import org.jspecify.annotations.NullMarked;
