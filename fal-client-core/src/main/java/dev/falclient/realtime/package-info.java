/**
 * fal's realtime WebSocket API: {@link dev.falclient.realtime.AsyncFalRealtime} (a {@code Flux} of outputs fed by a
 * {@code Flux} of inputs) and {@link dev.falclient.realtime.FalRealtime} (a connection to send to and receive from),
 * configured by {@link dev.falclient.realtime.RealtimeOptions}, failing with
 * {@link dev.falclient.realtime.FalRealtimeException}.
 *
 * <pre>{@code
 * try (FalRealtimeConnection connection = fal.realtime().connect("fal-ai/fast-lcm-diffusion")) {
 *     connection.send(Map.of("prompt", "a cat"));
 *     connection.receive(Duration.ofSeconds(10)).ifPresent(System.out::println);
 * }
 * }</pre>
 */
@NullMarked
package dev.falclient.realtime;

import org.jspecify.annotations.NullMarked;
