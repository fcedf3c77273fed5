/**
 * Auto-configuration of the {@code fal} health contributor,
 * {@link dev.falclient.spring.autoconfigure.health.FalHealthContributorAutoConfiguration}.
 */
@NullMarked
package dev.falclient.spring.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
