package dev.falclient;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads fal's status JSON (poll responses and stream events) into {@link Status} values. */
final class StatusParser {

    private final JsonMapper mapper;

    StatusParser(JsonMapper mapper) {
        this.mapper = mapper;
    }

    Status parse(JsonNode json, String requestId) {
        String status = text(json, "status");
        if (status == null) {
            throw new FalException("fal sent a status without a 'status' field: " + Excerpt.of(json.toString()),
                    requestId);
        }
        return switch (status) {
            case "IN_QUEUE" -> new Queued(json.path("queue_position").asInt(0));
            case "IN_PROGRESS" -> new InProgress(logs(json.get("logs")));
            case "COMPLETED" -> new Completed(logs(json.get("logs")), metrics(json.get("metrics")),
                    text(json, "error"), text(json, "error_type"));
            default -> throw new FalException("fal sent an unknown status '" + status
                    + "' (expected IN_QUEUE, IN_PROGRESS or COMPLETED)", requestId);
        };
    }

    private static List<RequestLog> logs(JsonNode logs) {
        if (logs == null || !logs.isArray()) {
            return List.of();
        }
        List<RequestLog> result = new ArrayList<>(logs.size());
        for (JsonNode entry : logs) {
            if (entry.isString()) {
                result.add(new RequestLog(entry.asString(), null, null, null));
                continue;
            }
            JsonNode labels = entry.path("labels");
            String level = text(entry, "level");
            String source = text(entry, "source");
            result.add(new RequestLog(text(entry, "message"),
                    level != null ? level : text(labels, "level"),
                    source != null ? source : text(labels, "source"),
                    text(entry, "timestamp")));
        }
        return result;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> metrics(JsonNode metrics) {
        if (metrics == null || !metrics.isObject()) {
            return Map.of();
        }
        return mapper.convertValue(metrics, LinkedHashMap.class);
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() || value.isMissingNode() ? null
                : value.isValueNode() ? value.asString() : value.toString();
    }
}
