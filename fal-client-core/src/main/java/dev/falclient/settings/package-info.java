/**
 * The client's settings, grouped, immutable, each default written once ({@code DEFAULTS} and the {@code DEFAULT_*}
 * text constants that the Spring starter's properties use) and each rule checked once, in the record's constructor.
 *
 * <pre>{@code
 * FalClient fal = FalClient.builder()
 *         .retry(RetrySettings.DEFAULTS.withMaxAttempts(3))
 *         .waiting(WaitSettings.DEFAULTS.withPollInterval(Duration.ofSeconds(1)))
 *         .build();
 * }</pre>
 */
@NullMarked
package dev.falclient.settings;

import org.jspecify.annotations.NullMarked;
