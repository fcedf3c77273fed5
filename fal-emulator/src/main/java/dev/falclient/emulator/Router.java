package dev.falclient.emulator;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The path of every call: classify (by the proxy target when there is one), count, check the key, read the body
 * within its limit, record, apply an armed fault, hand the call to its handler, write the reply. Runs on Netty's
 * event loop and never blocks it.
 */
final class Router {

    private static final Logger log = LoggerFactory.getLogger(Router.class);

    /** The parts a router hands calls to. */
    record Handlers(QueueHandlers queue, RunHandlers run, StorageHandlers storage, WebhookSender webhooks,
                    RealtimeHandlers realtime) {
    }

    private final Routes routes;
    private final Admission admission;
    private final RequestRecorder recorder;
    private final FaultInjector faults;
    private final Handlers handlers;
    private final ReplyWriter writer;
    private final TrafficCounter traffic;

    Router(Routes routes, Admission admission, RequestRecorder recorder, FaultInjector faults, Handlers handlers,
           ReplyWriter writer, TrafficCounter traffic) {
        this.routes = routes;
        this.admission = admission;
        this.recorder = recorder;
        this.faults = faults;
        this.handlers = handlers;
        this.writer = writer;
        this.traffic = traffic;
    }

    Mono<Void> handle(HttpServerRequest req, HttpServerResponse res) {
        // the proxy protocol: the target names the fal URL, the request's own URL is the proxy's
        String target = req.requestHeaders().get(Routes.TARGET_URL);
        Routes.Proxied proxied = target == null ? null : routes.proxied(target);
        QueryStringDecoder qsd = new QueryStringDecoder(proxied == null || proxied.uri() == null
                ? req.uri() : proxied.uri());
        String path = qsd.path();
        Map<String, List<String>> query = qsd.parameters();
        Call call = proxied != null && proxied.rejected() != null
                ? proxied.rejected() : routes.classify(req.method().name(), path);
        traffic.call(call.kind());
        // files are public and storage hosts take tokens; the rest needs a key, checked before the body is read
        Reply.Body rejected = call.needsKey() ? admission.rejectKey(req) : null;
        // a WebSocket handshake has no body, and reading one would consume the connection's inbound
        Mono<Admission.Body> body = rejected == null && !(call instanceof Call.Realtime)
                ? admission.read(req) : Mono.just(Admission.Body.NONE);
        return body
                .flatMap(b -> {
                    recorder.record(req, path, query, call, b.text(), b.bytes());
                    // faults come before the key check, as fal's gateway or ingress would answer first
                    Mono<Reply> normal = rejected == null
                            ? Mono.defer(() -> execute(call, query, b, req, proxied != null))
                            : Mono.just(rejected);
                    return faults.apply(call, normal);
                })
                .onErrorResume(Admission.TooLarge.class, e -> {
                    recorder.record(req, path, query, call, "", 0);
                    return Mono.just(Admission.tooLarge(e));
                })
                .onErrorResume(Admission.Abandoned.class, e -> Mono.empty())
                .onErrorResume(e -> {
                    log.warn("fal emulator: handler failed for {} {}", req.method(), path, e);
                    return Mono.just(Replies.json(500, call.requestId(), Replies.NODES.objectNode()
                            .put("detail", "Emulator error: " + e).put("error_type", "internal_error")));
                })
                .flatMap(r -> writer.write(res, r));
    }

    /** @param proxied whether the call came through the proxy: its answers then name fal's own URLs */
    private Mono<Reply> execute(Call call, Map<String, List<String>> query, Admission.Body b, HttpServerRequest req,
                                boolean proxied) {
        String body = b.text();
        if (call instanceof Call.File f) {
            return handlers.storage().file(f.name());
        }
        if (call instanceof Call.Storage s) {
            return Mono.just(handlers.storage().handle(s, req.requestHeaders(), b.data()));
        }
        if (call instanceof Call.Jwks) {
            return Mono.just(Replies.json(200, null, handlers.webhooks().jwks()));
        }
        if (call instanceof Call.Token) {
            return Mono.just(handlers.realtime().token(body));
        }
        if (call instanceof Call.Realtime r) {
            return Mono.just(handlers.realtime().connect(r, query, req));
        }
        if (call instanceof Call.Unrouted u) {
            return Mono.just(Replies.detail(u.status(), u.detail()));
        }
        Call.Api api = (Call.Api) call;
        return switch (api.kind()) {
            case RUN, STREAM -> handlers.run().handle(api, body);
            default -> Mono.just(handlers.queue().handle(api, query, body, proxied));
        };
    }
}
