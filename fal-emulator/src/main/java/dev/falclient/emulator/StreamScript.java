package dev.falclient.emulator;

import java.time.Duration;
import java.util.function.BiFunction;
import tools.jackson.databind.JsonNode;

/**
 * What a streaming run of one endpoint sends, as scripted by {@link EndpointScript#partials}, {@link
 * EndpointScript#partialInterval} and {@link EndpointScript#streamFailure}; {@code null} parts fall back to the
 * defaults (one progress event per log line, spread over the processing time, then the output).
 *
 * @param count         number of partial events, or {@code null}
 * @param partial       the partial event at an index (from 0) for an input, or {@code null}
 * @param interval      delay before each event, or {@code null}
 * @param failureAfter  number of partial events sent before the error event, or {@code null} for none
 * @param failureBody   the error event's data, fal's error body
 */
record StreamScript(Integer count, BiFunction<Integer, JsonNode, JsonNode> partial, Duration interval,
                    Integer failureAfter, JsonNode failureBody) {

    static final StreamScript DEFAULT = new StreamScript(null, null, null, null, null);

    StreamScript withPartials(int count, BiFunction<Integer, JsonNode, JsonNode> partial) {
        return new StreamScript(count, partial, interval, failureAfter, failureBody);
    }

    StreamScript withInterval(Duration interval) {
        return new StreamScript(count, partial, interval, failureAfter, failureBody);
    }

    StreamScript withFailure(int after, JsonNode body) {
        return new StreamScript(count, partial, interval, after, body);
    }
}
