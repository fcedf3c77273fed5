/**
 * The {@code fal} health indicator, {@link dev.falclient.spring.health.FalHealthIndicator}.
 */
@NullMarked
package dev.falclient.spring.health;

import org.jspecify.annotations.NullMarked;
