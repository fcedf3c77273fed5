package dev.falclient.emulator;

import tools.jackson.databind.JsonNode;

/** How a request ended: what its result call, a direct run and a webhook answer. */
sealed interface Outcome permits Outcome.Success, Outcome.Failed, Outcome.Invalid, Outcome.Cancelled {

    /** The output JSON. */
    record Success(JsonNode output) implements Outcome {
    }

    /** A scripted (or thrown) failure. */
    record Failed(EndpointScript.Failure failure) implements Outcome {
    }

    /** A validation error; {@code body} is the whole 422 body. */
    record Invalid(JsonNode body) implements Outcome {
    }

    /** Cancelled by the client (or by a reset). */
    record Cancelled() implements Outcome {
    }
}
