package dev.falclient.emulator;

import dev.falclient.emulator.QueueJob.LogEntry;
import dev.falclient.emulator.QueueJob.StatusView;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** fal's queue JSON: the request URLs and the status body shared by status polls and status-stream events. */
final class StatusJson {

    private final String queueUrl;

    StatusJson(String queueUrl) {
        this.queueUrl = queueUrl;
    }

    /** Adds {@code request_id} and the absolute {@code response_url}, {@code status_url}, {@code cancel_url}. */
    ObjectNode withUrls(ObjectNode n, String base, String requestId) {
        String responseUrl = queueUrl + "/" + base + "/requests/" + requestId;
        n.put("request_id", requestId);
        n.put("response_url", responseUrl);
        n.put("status_url", responseUrl + "/status");
        n.put("cancel_url", responseUrl + "/cancel");
        return n;
    }

    ObjectNode body(StatusView v) {
        ObjectNode n = Replies.NODES.objectNode();
        n.put("status", v.state().name());
        withUrls(n, v.endpointBase(), v.requestId());
        switch (v.state()) {
            case IN_QUEUE -> n.put("queue_position", v.position());
            case IN_PROGRESS -> putLogs(n, v.logs());
            case COMPLETED -> {
                putLogs(n, v.logs());
                ObjectNode metrics = n.putObject("metrics");
                if (v.inferenceTime() != null) {
                    metrics.put("inference_time", v.inferenceTime().toNanos() / 1e9);
                } else {
                    metrics.putNull("inference_time");
                }
                if (v.outcome() instanceof Outcome.Failed f) {
                    n.put("error", f.failure().error());
                    if (f.failure().errorType() != null) {
                        n.put("error_type", f.failure().errorType());
                    }
                } else if (v.outcome() instanceof Outcome.Cancelled) {
                    n.put("error", "Cancelled");
                    n.put("error_type", "client_cancelled");
                }
            }
        }
        return n;
    }

    private static void putLogs(ObjectNode n, List<LogEntry> logs) {
        if (logs == null) {
            n.putNull("logs");
            return;
        }
        ArrayNode arr = n.putArray("logs");
        for (LogEntry e : logs) {
            arr.addObject().put("message", e.message()).put("level", "INFO").put("source", "USER")
                    .put("timestamp", e.time().toString());
        }
    }
}
