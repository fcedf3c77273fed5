package dev.falclient.emulator;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.netty.http.server.HttpServerRequest;

/** The recorded calls and webhook URLs, oldest first, bounded by count: the oldest go first. */
final class RequestRecorder {

    private final int maxCount;
    private final ArrayDeque<RecordedRequest> calls = new ArrayDeque<>();
    private final ArrayDeque<WebhookRecord> webhooks = new ArrayDeque<>();

    RequestRecorder(int maxCount) {
        this.maxCount = maxCount;
    }

    void record(HttpServerRequest req, String path, Map<String, List<String>> query, Call call, String body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : req.requestHeaders()) {
            headers.computeIfAbsent(h.getKey(), k -> new ArrayList<>()).add(h.getValue());
        }
        RecordedRequest r = new RecordedRequest(call.kind(), req.method().name(), path, endpointId(call),
                call.requestId(), headers, query, body, Instant.now());
        synchronized (calls) {
            calls.addLast(r);
            while (calls.size() > maxCount) {
                calls.pollFirst();
            }
        }
    }

    void webhook(WebhookRecord w) {
        synchronized (webhooks) {
            webhooks.addLast(w);
            while (webhooks.size() > maxCount) {
                webhooks.pollFirst();
            }
        }
    }

    List<RecordedRequest> calls(CallKind kindOrNull) {
        synchronized (calls) {
            return calls.stream().filter(r -> kindOrNull == null || r.kind() == kindOrNull)
                    .toList();
        }
    }

    List<WebhookRecord> webhooks() {
        synchronized (webhooks) {
            return List.copyOf(webhooks);
        }
    }

    void clear() {
        synchronized (calls) {
            calls.clear();
        }
        synchronized (webhooks) {
            webhooks.clear();
        }
    }

    /** The full id (with sub-path) for calls that take one, {@code [ns/]owner/alias} for request-scoped calls. */
    private static String endpointId(Call call) {
        if (call.endpoint() == null) {
            return null;
        }
        return switch (call.kind()) {
            case SUBMIT, RUN, STREAM -> call.endpoint().full();
            default -> call.endpoint().base();
        };
    }
}
