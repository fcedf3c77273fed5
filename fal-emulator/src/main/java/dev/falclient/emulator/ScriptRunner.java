package dev.falclient.emulator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** Turns a script snapshot and an input into an outcome; shared by the queue and the direct runs. */
final class ScriptRunner {

    private static final Logger log = LoggerFactory.getLogger(ScriptRunner.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final DefaultOutputs defaults;

    ScriptRunner(DefaultOutputs defaults) {
        this.defaults = defaults;
    }

    /**
     * Runs the script. User output functions run here, so the caller must not hold a lock or sit on an event loop.
     *
     * @param seconds the processing time that passed, reported in the default output's timings
     */
    Outcome run(EndpointScript.Snapshot script, String requestId, JsonNode input, double seconds) {
        if (script.failure() != null) {
            return new Outcome.Failed(script.failure());
        }
        if (script.validationBody() != null) {
            return new Outcome.Invalid(script.validationBody());
        }
        try {
            JsonNode out = script.output() == null
                    ? defaults.output(requestId, input, seconds)
                    : script.output().apply(input.deepCopy());
            return new Outcome.Success(out == null ? NODES.nullNode() : out);
        } catch (RuntimeException e) {
            // fal reports a crashing app as a runner error; a test scripting a throwing function expects the same
            log.debug("fal emulator: scripted output function failed for {}", requestId, e);
            return new Outcome.Failed(new EndpointScript.Failure(String.valueOf(e), "runner_server_error", 500,
                    NODES.objectNode().put("detail", "Internal Server Error: " + e)
                            .put("error_type", "runner_server_error")));
        }
    }
}
