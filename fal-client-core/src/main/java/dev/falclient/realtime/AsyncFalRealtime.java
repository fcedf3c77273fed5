package dev.falclient.realtime;

import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

/**
 * fal's realtime WebSocket API, reactive face: a connection is a {@link Flux} of outputs fed by a {@link Flux} of
 * inputs.
 *
 * <pre>{@code
 * Flux<JsonNode> outputs = fal.realtime().connect("fal-ai/fast-lcm-diffusion",
 *         prompts.map(prompt -> Map.of("prompt", prompt)));
 * Disposable session = outputs.subscribe(output -> show(output.path("images").get(0)));
 * session.dispose();                                                // closes the connection
 * }</pre>
 *
 * <p>Subscribing fetches a short-lived token scoped to the app (the key never leaves the server), opens
 * {@code wss://fal.run/{app}/realtime}, then sends each input, msgpack-encoded, as the socket takes it: a fast source is
 * slowed down, never buffered without bound (or, with {@link RealtimeOptions.Builder#latestInputWins(boolean)}, only
 * its latest input is kept). Outputs arrive as JSON trees (msgpack binary values as binary nodes); fal's
 * {@code x-fal-message} frames are skipped, its {@code x-fal-error} frames end the flux with a
 * {@link FalRealtimeException}, except {@code TIMEOUT} (an idle session), after which the next input reconnects.
 * Cancelling closes the socket normally. Once the inputs complete, the flux completes when fal closes the socket or
 * no output came for {@link RealtimeOptions#outputTimeout()}.
 */
public interface AsyncFalRealtime {

    /** Connects with {@link RealtimeOptions#DEFAULTS}; see the class comment. */
    default Flux<JsonNode> connect(String endpointId, Flux<?> inputs) {
        return connect(endpointId, inputs, RealtimeOptions.DEFAULTS);
    }

    /**
     * Connects with options. Inputs may be any object the client's JSON mapper can write, a {@link JsonNode}, or a
     * {@code byte[]} sent as is in a binary frame.
     *
     * @throws IllegalArgumentException at once, for a malformed endpoint id
     */
    Flux<JsonNode> connect(String endpointId, Flux<?> inputs, RealtimeOptions options);
}
