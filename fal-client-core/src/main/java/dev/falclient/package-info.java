/**
 * The fal client: {@link dev.falclient.FalClient} (blocking) and {@link dev.falclient.AsyncFalClient} (Reactor),
 * their handles, the storable {@link dev.falclient.FalRequest}, options, statuses, listener and exceptions.
 *
 * <pre>{@code
 * FalClient fal = FalClient.builder().build();   // key from FAL_KEY
 * JsonNode out = fal.subscribe("fal-ai/fast-sdxl", Map.of("prompt", "a landscape"));
 * }</pre>
 *
 * <p>The client's settings live in {@code dev.falclient.settings}. The engine lives in
 * {@code dev.falclient.internal}, which is not API.
 */
@NullMarked
package dev.falclient;

import org.jspecify.annotations.NullMarked;
