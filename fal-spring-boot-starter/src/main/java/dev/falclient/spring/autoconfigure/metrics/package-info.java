/**
 * Auto-configuration of fal's Micrometer meters,
 * {@link dev.falclient.spring.autoconfigure.metrics.FalMetricsAutoConfiguration}.
 */
package dev.falclient.spring.autoconfigure.metrics;
