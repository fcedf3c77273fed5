/**
 * The {@code fal} health indicator, {@link dev.falclient.spring.health.FalHealthIndicator}.
 */
package dev.falclient.spring.health;
