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
import tools.jackson.databind.JsonNode;

/** Reads fal's status JSON (poll responses and stream events) into {@link Status} values. */
public final class StatusParser {

    private final FalJson json;
    private final ApiFactory api;

    public StatusParser(FalJson json, ApiFactory api) {
        this.json = json;
        this.api = api;
    }

    public Status parse(JsonNode node, String requestId) {
        String status = FalJson.text(node, "status");
        if (status == null) {
            throw api.response("fal sent a status without a 'status' field: " + Excerpt.of(node.toString()),
                    requestId, null, false);
        }
        return switch (status) {
            case "IN_QUEUE" -> new Queued(node.path("queue_position").asInt(0));
            case "IN_PROGRESS" -> new InProgress(logs(node.get("logs")));
            case "COMPLETED" -> new Completed(logs(node.get("logs")), metrics(node.get("metrics")),
                    FalJson.text(node, "error"), FalJson.text(node, "error_type"));
            default -> throw api.response("fal sent an unknown status '" + status
                    + "' (expected IN_QUEUE, IN_PROGRESS or COMPLETED)", requestId, null, false);
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
            String level = FalJson.text(entry, "level");
            String source = FalJson.text(entry, "source");
            result.add(new RequestLog(FalJson.text(entry, "message"),
                    level != null ? level : FalJson.text(labels, "level"),
                    source != null ? source : FalJson.text(labels, "source"),
                    FalJson.text(entry, "timestamp")));
        }
        return result;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> metrics(JsonNode metrics) {
        if (metrics == null || !metrics.isObject()) {
            return Map.of();
        }
        return json.mapper().convertValue(metrics, LinkedHashMap.class);
    }
}
