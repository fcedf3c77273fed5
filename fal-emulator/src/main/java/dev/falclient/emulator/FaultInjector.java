package dev.falclient.emulator;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/** The armed faults, per call kind in arming order, and how a consumed one changes a call's reply. */
final class FaultInjector {

    private final Map<CallKind, ConcurrentLinkedQueue<Fault>> armed = new EnumMap<>(CallKind.class);

    FaultInjector() {
        for (CallKind k : CallKind.values()) {
            armed.put(k, new ConcurrentLinkedQueue<>());
        }
    }

    Fault arm(CallKind kind) {
        Fault f = new Fault(Objects.requireNonNull(kind, "kind"));
        armed.get(kind).add(f);
        return f;
    }

    void clear() {
        armed.values().forEach(ConcurrentLinkedQueue::clear);
    }

    /**
     * Consumes the next fault armed for the call's kind and applies it. {@code normal} is subscribed only when the
     * fault lets the operation happen, so a faulted submit enqueues nothing.
     */
    Mono<Reply> apply(Call call, Mono<Reply> normal) {
        Fault.Plan plan = consume(call.kind());
        if (plan == null) {
            return normal;
        }
        Mono<Reply> reply = transform(plan.action(), call, normal);
        return plan.delay().isZero() ? reply : Mono.delay(plan.delay()).then(reply);
    }

    private Fault.Plan consume(CallKind kind) {
        ConcurrentLinkedQueue<Fault> q = armed.get(kind);
        for (Fault f : q) {
            Fault.Plan plan = f.tryConsume();
            if (plan != null) {
                if (f.remaining() == 0) {
                    q.remove(f);
                }
                return plan;
            }
            q.remove(f);
        }
        return null;
    }

    private static Mono<Reply> transform(Fault.Action action, Call call, Mono<Reply> normal) {
        if (action == null) {
            return normal;
        }
        if (action instanceof Fault.Status s) {
            return Mono.just(status(s, call.requestId()));
        }
        if (action instanceof Fault.Ingress i) {
            return Mono.just(ingress(i.status()));
        }
        if (action instanceof Fault.Drop) {
            return Mono.just(new Reply.Drop());
        }
        if (action instanceof Fault.Malformed) {
            return normal.map(FaultInjector::cutInHalf);
        }
        // CloseEarly
        return normal.map(r -> r instanceof Reply.Sse s ? new Reply.Sse(s.headers(), s.events().take(1)) : r);
    }

    private static Reply status(Fault.Status s, String requestId) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (requestId != null) {
            headers.put(Replies.REQUEST_ID, requestId);
        }
        if (s.retryAfter() != null) {
            long secs = (s.retryAfter().toMillis() + 999) / 1000;
            headers.put("Retry-After", Long.toString(secs));
        }
        if (s.errorType() != null) {
            headers.put(Replies.ERROR_TYPE, s.errorType());
        }
        String body = s.body();
        if (body == null) {
            ObjectNode n = Replies.NODES.objectNode().put("detail", reason(s.status()));
            if (s.errorType() != null) {
                n.put("error_type", s.errorType());
            }
            body = n.toString();
        }
        String contentType = s.contentType() == null ? Replies.JSON : s.contentType();
        return new Reply.Body(s.status(), contentType, headers, utf8(body));
    }

    /** What nginx in front of fal answers: HTML, no fal headers. */
    private static Reply ingress(int status) {
        String title = status + " " + reason(status);
        String html = "<html>\r\n<head><title>" + title + "</title></head>\r\n"
                + "<body>\r\n<center><h1>" + title + "</h1></center>\r\n"
                + "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
        return new Reply.Body(status, "text/html", Map.of(), utf8(html));
    }

    private static Reply cutInHalf(Reply r) {
        if (r instanceof Reply.Body b) {
            byte[] bytes = b.bytes().length == 0 ? utf8("{\"") : Arrays.copyOf(b.bytes(), Math.max(1, b.bytes().length / 2));
            return new Reply.Body(200, Replies.JSON, b.headers(), bytes);
        }
        if (r instanceof Reply.Sse s) {
            return new Reply.Sse(s.headers(), s.events().take(1).map(ev -> ev.substring(0, ev.length() / 2) + "\n\n"));
        }
        return r;
    }

    private static String reason(int status) {
        return HttpResponseStatus.valueOf(status).reasonPhrase();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
