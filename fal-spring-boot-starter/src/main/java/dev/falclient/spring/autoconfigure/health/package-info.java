/**
 * Auto-configuration of the {@code fal} health contributor,
 * {@link dev.falclient.spring.autoconfigure.health.FalHealthContributorAutoConfiguration}.
 */
package dev.falclient.spring.autoconfigure.health;
