package dev.falclient.internal.json;

import dev.falclient.Completed;
import dev.falclient.InProgress;
import dev.falclient.Queued;
import dev.falclient.RequestLog;
import dev.falclient.Status;
import dev.falclient.internal.ApiFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.node.JsonNodeFactory;

/** Reads fal's status JSON (poll responses and stream events) into {@link Status} values. */
public final class StatusParser {

    private final FalJson json;
    private final ApiFactory api;

    public StatusParser(FalJson json, ApiFactory api) {
        this.json = json;
        this.api = api;
    }

    /**
     * Reads a status answer or a stream event's data; malformed JSON throws
     * {@link tools.jackson.core.JacksonException}.
     */
    public StatusBody read(byte[] bytes) {
        try (JsonParser parser = json.mapper().createParser(bytes)) {
            return read(parser);
        }
    }

    /**
     * Reads the fields a status needs token by token and skips the rest: a stream delivers dozens of these per
     * request, and binding them as a record (buffered creator properties) cost several times more.
     */
    private StatusBody read(JsonParser parser) {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw MismatchedInputException.from(parser, StatusBody.class, "a status must be a JSON object");
        }
        String status = null;
        JsonNode queuePosition = null;
        List<JsonNode> logs = null;
        JsonNode metrics = null;
        JsonNode error = null;
        JsonNode errorType = null;
        for (String name = parser.nextName(); name != null; name = parser.nextName()) {
            JsonToken value = parser.nextToken();
            switch (name) {
                case "status" -> status = text(parser, value);
                case "queue_position" -> queuePosition = tree(parser);
                case "logs" -> logs = logs(parser, value);
                case "metrics" -> metrics = tree(parser);
                case "error" -> error = tree(parser);
                case "error_type" -> errorType = tree(parser);
                default -> parser.skipChildren();
            }
        }
        if (parser.nextToken() != null) {
            throw MismatchedInputException.from(parser, StatusBody.class, "content after the status object");
        }
        return new StatusBody(status, queuePosition, logs, metrics, error, errorType);
    }

    private static @Nullable String text(JsonParser parser, JsonToken value) {
        if (value.isStructStart()) {
            throw MismatchedInputException.from(parser, String.class, "'status' must be text, not " + value);
        }
        return value == JsonToken.VALUE_NULL ? null : parser.getString();
    }

    /** The value at the parser as a node; scalars (a position, an error text) are built without a tree reader. */
    private static JsonNode tree(JsonParser parser) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        return switch (parser.currentToken()) {
            case VALUE_STRING -> nodes.stringNode(parser.getString());
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> nodes.numberNode(parser.getIntValue());
                case LONG -> nodes.numberNode(parser.getLongValue());
                default -> nodes.numberNode(parser.getBigIntegerValue());
            };
            case VALUE_TRUE, VALUE_FALSE -> nodes.booleanNode(parser.getBooleanValue());
            case VALUE_NULL -> nodes.nullNode();
            default -> parser.readValueAsTree();
        };
    }

    /** The log entries; logs in any other shape are skipped, as a status is worth more than its logs. */
    private static @Nullable List<JsonNode> logs(JsonParser parser, JsonToken value) {
        if (value != JsonToken.START_ARRAY) {
            parser.skipChildren();
            return null;
        }
        List<JsonNode> entries = new ArrayList<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (token == null) {
                throw MismatchedInputException.from(parser, StatusBody.class, "the logs array is not closed");
            }
            entries.add(tree(parser));
        }
        return entries;
    }

    public Status parse(StatusBody body, String requestId) {
        String status = body.status();
        if (status == null) {
            throw api.response("fal sent a status without a 'status' field", requestId, null, false);
        }
        return switch (status) {
            case "IN_QUEUE" -> new Queued(body.queuePosition() == null ? 0 : body.queuePosition().asInt(0));
            case "IN_PROGRESS" -> new InProgress(logs(body.logs()));
            case "COMPLETED" -> new Completed(logs(body.logs()), metrics(body.metrics()), text(body.error()),
                    text(body.errorType()));
            default -> throw api.response("fal sent an unknown status '" + Excerpt.of(status)
                    + "' (expected IN_QUEUE, IN_PROGRESS or COMPLETED)", requestId, null, false);
        };
    }

    private static @Nullable String text(@Nullable JsonNode value) {
        return value == null || value.isNull() || value.isMissingNode() ? null
                : value.isValueNode() ? value.asString() : value.toString();
    }

    private static List<RequestLog> logs(List<JsonNode> logs) {
        if (logs == null || logs.isEmpty()) {
            return List.of();
        }
        List<RequestLog> result = new ArrayList<>(logs.size());
        for (JsonNode entry : logs) {
            if (entry.isString()) {
                result.add(new RequestLog(entry.asString(), null, null, null));
                continue;
            }
            JsonNode labels = entry.path("labels");
            String level = FalJson.text(entry, "level");
            String source = FalJson.text(entry, "source");
            result.add(new RequestLog(FalJson.text(entry, "message"),
                    level != null ? level : FalJson.text(labels, "level"),
                    source != null ? source : FalJson.text(labels, "source"),
                    FalJson.text(entry, "timestamp")));
        }
        return result;
    }

    /** Metrics as plain values: numbers, text and booleans as they are, anything else converted. */
    private Map<String, Object> metrics(JsonNode metrics) {
        if (metrics == null || !metrics.isObject()) {
            return Map.of();
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : metrics.properties()) {
            JsonNode value = entry.getValue();
            values.put(entry.getKey(), value.isNumber() ? value.numberValue() : value.isString() ? value.asString()
                    : value.isBoolean() ? (Object) value.booleanValue() : value.isNull() ? null
                    : json.mapper().convertValue(value, Object.class));
        }
        return values;
    }
}
