package dev.falclient.emulator;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.netty.http.server.HttpServerRequest;

/**
 * The recorded calls and webhook URLs, oldest first. Bounded by count and, for calls, by total size in bytes: the
 * oldest go first. The newest call is kept even when it alone passes the byte cap, so that a test can still see
 * that it arrived; memory stays bounded because a body never exceeds the emulator's body limit.
 */
final class RequestRecorder {

    private record Entry(RecordedRequest request, long bytes) {
    }

    private final int maxCount;
    private final long maxBytes;
    private final ArrayDeque<Entry> calls = new ArrayDeque<>();
    private long totalBytes;
    private final ArrayDeque<WebhookRecord> webhooks = new ArrayDeque<>();

    RequestRecorder(int maxCount, long maxBytes) {
        this.maxCount = maxCount;
        this.maxBytes = maxBytes;
    }

    /** Records one call; {@code bodyBytes} is the body's size on the wire. */
    void record(HttpServerRequest req, String path, Map<String, List<String>> query, Call call, String body,
                long bodyBytes) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        long bytes = bodyBytes + path.length();
        for (Map.Entry<String, String> h : req.requestHeaders()) {
            headers.computeIfAbsent(h.getKey(), k -> new ArrayList<>()).add(h.getValue());
            bytes += h.getKey().length() + h.getValue().length();
        }
        for (Map.Entry<String, List<String>> q : query.entrySet()) {
            bytes += q.getKey().length() + q.getValue().stream().mapToLong(String::length).sum();
        }
        RecordedRequest r = new RecordedRequest(call.kind(), req.method().name(), path, endpointId(call),
                call.requestId(), headers, query, body, Instant.now());
        synchronized (calls) {
            calls.addLast(new Entry(r, bytes));
            totalBytes += bytes;
            while (calls.size() > 1 && (calls.size() > maxCount || totalBytes > maxBytes)) {
                totalBytes -= calls.pollFirst().bytes();
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
            return calls.stream().map(Entry::request).filter(r -> kindOrNull == null || r.kind() == kindOrNull)
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
            totalBytes = 0;
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
            case SUBMIT, RUN, STREAM, REALTIME -> call.endpoint().full();
            default -> call.endpoint().base();
        };
    }
}
