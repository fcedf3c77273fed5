/**
 * Auto-configuration of the fal client: {@link dev.falclient.spring.autoconfigure.FalAutoConfiguration},
 * {@link dev.falclient.spring.autoconfigure.FalProperties} ({@code fal.*}) and the customizer callbacks
 * {@link dev.falclient.spring.autoconfigure.FalWebClientCustomizer} and
 * {@link dev.falclient.spring.autoconfigure.FalClientBuilderCustomizer}.
 */
@NullMarked
package dev.falclient.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
