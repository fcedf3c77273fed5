/**
 * Micrometer meters of fal's reported inference time ({@link dev.falclient.spring.metrics.FalMetricsListener}) and of the client's
 * HTTP calls ({@link dev.falclient.spring.metrics.FalClientMetrics}). Needs {@code micrometer-core} on the class
 * path, which {@code spring-boot-starter-actuator} brings.
 */
@NullMarked
package dev.falclient.spring.metrics;

import org.jspecify.annotations.NullMarked;
