/**
 * Auto-configuration of fal's Micrometer meters,
 * {@link dev.falclient.spring.autoconfigure.metrics.FalMetricsAutoConfiguration}.
 */
@NullMarked
package dev.falclient.spring.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
