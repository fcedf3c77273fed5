package dev.falclient.emulator;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The queue host's calls (submit, status, status stream, result, cancel): fal's HTTP face of {@link QueueEngine}. */
final class QueueHandlers {

    private final QueueEngine engine;
    private final RequestRecorder recorder;
    private final StatusJson json;
    private final StatusJson proxiedJson = new StatusJson(Routes.FAL_QUEUE_URL);

    QueueHandlers(QueueEngine engine, RequestRecorder recorder, String queueUrl) {
        this.engine = engine;
        this.recorder = recorder;
        this.json = new StatusJson(queueUrl);
    }

    /**
     * @param proxied the call came through the proxy protocol: the request URLs in the answer name
     *                {@code https://queue.fal.run}, as fal's answers passed on by a proxy do
     */
    Reply handle(Call.Api call, Map<String, List<String>> query, String body, boolean proxied) {
        StatusJson json = proxied ? proxiedJson : this.json;
        return switch (call.kind()) {
            case SUBMIT -> submit(call, query, body, json);
            case STATUS -> status(call, flag(query, "logs"), json);
            case STATUS_STREAM -> statusStream(call, flag(query, "logs"), json);
            case RESULT -> result(call);
            case CANCEL -> cancel(call);
            default -> throw new IllegalArgumentException("not a queue call: " + call.kind());
        };
    }

    private Reply submit(Call.Api call, Map<String, List<String>> query, String body, StatusJson json) {
        JsonNode input;
        try {
            input = Replies.parseInput(body);
        } catch (JacksonException e) {
            return Replies.invalidJson(call.requestId(), e);
        }
        String webhook = first(query, "fal_webhook");
        QueueEngine.Submitted s = engine.submit(call.requestId(), call.endpoint(), input, webhook);
        ObjectNode n = Replies.NODES.objectNode().put("status", "IN_QUEUE");
        json.withUrls(n, call.endpoint().base(), s.requestId());
        n.put("queue_position", s.position());
        if (webhook != null) {
            n.put("gateway_request_id", s.requestId());
            recorder.webhook(new WebhookRecord(s.requestId(), s.requestId(), webhook, Instant.now()));
        }
        return Replies.json(200, s.requestId(), n);
    }

    private Reply status(Call.Api call, boolean logs, StatusJson json) {
        return engine.status(call.requestId(), call.endpoint().base(), logs)
                .<Reply>map(v -> Replies.json(v.state() == QueueJob.State.COMPLETED ? 200 : 202, v.requestId(),
                        json.body(v)))
                .orElseGet(QueueHandlers::notFound);
    }

    private Reply statusStream(Call.Api call, boolean logs, StatusJson json) {
        return engine.watch(call.requestId(), call.endpoint().base(), logs)
                .<Reply>map(views -> new Reply.Sse(Map.of(Replies.REQUEST_ID, call.requestId()),
                        views.map(v -> "data: " + json.body(v) + "\n\n")))
                .orElseGet(QueueHandlers::notFound);
    }

    private Reply result(Call.Api call) {
        return engine.status(call.requestId(), call.endpoint().base(), false)
                .<Reply>map(v -> v.state() == QueueJob.State.COMPLETED
                        ? Replies.outcome(v.requestId(), v.outcome())
                        // fal leaves this undocumented; a 400 makes a client that skips the status check fail loudly
                        : Replies.json(400, v.requestId(),
                        Replies.NODES.objectNode().put("detail", "Request is still in progress")))
                .orElseGet(QueueHandlers::notFound);
    }

    private Reply cancel(Call.Api call) {
        QueueEngine.CancelOutcome outcome = engine.cancel(call.requestId(), call.endpoint().base());
        int status = switch (outcome) {
            case CANCELLATION_REQUESTED -> 202;
            case ALREADY_COMPLETED -> 400;
            case NOT_FOUND -> 404;
        };
        String requestId = outcome == QueueEngine.CancelOutcome.NOT_FOUND ? null : call.requestId();
        return Replies.json(status, requestId, Replies.NODES.objectNode().put("status", outcome.name()));
    }

    private static Reply notFound() {
        return Replies.detail(404, "Request not found");
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    private static boolean flag(Map<String, List<String>> query, String name) {
        String v = first(query, name);
        return "1".equals(v) || "true".equalsIgnoreCase(v);
    }
}
