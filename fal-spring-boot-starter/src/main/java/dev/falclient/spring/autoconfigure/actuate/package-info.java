/**
 * Auto-configuration of the {@code fal} actuator endpoint.
 */
@NullMarked
package dev.falclient.spring.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
