package dev.falclient.emulator;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The JSON answers the emulator gives, built in one place so that every handler shapes them alike. */
final class Replies {

    static final String JSON = "application/json";
    static final String REQUEST_ID = "x-fal-request-id";
    static final String ERROR_TYPE = "X-Fal-Error-Type";
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** What an outcome answers, before it becomes an HTTP reply or a webhook payload. */
    record OutcomeAnswer(int status, JsonNode body, String errorType) {
    }

    private Replies() {
    }

    /** A JSON reply, with {@code x-fal-request-id} when {@code requestId} is known. */
    static Reply.Body json(int status, String requestId, JsonNode body) {
        Map<String, String> headers = requestId == null ? Map.of() : Map.of(REQUEST_ID, requestId);
        return new Reply.Body(status, JSON, headers, MAPPER.writeValueAsString(body).getBytes(StandardCharsets.UTF_8));
    }

    /** {@code {"detail": detail}} without a request id: the gateway's own answers. */
    static Reply.Body detail(int status, String detail) {
        return json(status, null, NODES.objectNode().put("detail", detail));
    }

    /** The input of a submit or run; an empty body counts as {@code {}}. */
    static JsonNode parseInput(String body) {
        return body == null || body.isBlank() ? NODES.objectNode() : MAPPER.readTree(body);
    }

    /** fal's validation answer for a body that is not JSON. */
    static Reply.Body invalidJson(String requestId, JacksonException e) {
        ObjectNode n = NODES.objectNode();
        n.putArray("detail").addObject().put("msg", "Invalid JSON body: " + e.getOriginalMessage())
                .put("type", "value_error.jsondecode").putArray("loc").add("body");
        return json(422, requestId, n);
    }

    /** The result-call answer of an outcome (also what a direct run answers). */
    static Reply.Body outcome(String requestId, Outcome outcome) {
        OutcomeAnswer a = answer(outcome);
        Reply.Body b = json(a.status(), requestId, a.body());
        if (a.errorType() == null) {
            return b;
        }
        Map<String, String> headers = new LinkedHashMap<>(b.headers());
        headers.put(ERROR_TYPE, a.errorType());
        return new Reply.Body(b.status(), b.contentType(), headers, b.bytes());
    }

    static OutcomeAnswer answer(Outcome outcome) {
        if (outcome instanceof Outcome.Success s) {
            return new OutcomeAnswer(200, s.output(), null);
        }
        if (outcome instanceof Outcome.Failed f) {
            return new OutcomeAnswer(f.failure().resultStatus(), f.failure().resultBody(), f.failure().errorType());
        }
        if (outcome instanceof Outcome.Invalid i) {
            return new OutcomeAnswer(422, i.body(), null);
        }
        return new OutcomeAnswer(499, NODES.objectNode().put("detail", "Request cancelled by client")
                .put("error_type", "client_cancelled"), "client_cancelled");
    }
}
