package dev.falclient.realtime;

import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * fal's realtime WebSocket API, blocking face: a connection object to send inputs to and receive outputs from.
 *
 * <pre>{@code
 * try (FalRealtimeConnection connection = fal.realtime().connect("fal-ai/fast-lcm-diffusion")) {
 *     connection.send(Map.of("prompt", "a cat"));
 *     connection.receive(Duration.ofSeconds(10)).ifPresent(output -> show(output));
 * }
 * }</pre>
 *
 * <p>Behaves as {@link AsyncFalRealtime#connect} does (tokens, framing, reconnects); the socket opens in the
 * background, so {@code connect} returns at once and a refused connection surfaces at the next {@code send} or
 * {@code receive}.
 */
public interface FalRealtime {

    /** Opens a connection with {@link RealtimeOptions#DEFAULTS}; outputs are read with {@code receive}. */
    default FalRealtimeConnection connect(String endpointId) {
        return connect(endpointId, RealtimeOptions.DEFAULTS);
    }

    /** Opens a connection with options; outputs are read with {@code receive}. */
    FalRealtimeConnection connect(String endpointId, RealtimeOptions options);

    /**
     * Opens a connection whose outputs go to {@code onOutput}, called one at a time on a worker thread (it may
     * block, which slows the connection down). A failure ends the connection and is thrown by the next {@code send}.
     */
    FalRealtimeConnection connect(String endpointId, RealtimeOptions options, Consumer<? super JsonNode> onOutput);
}
