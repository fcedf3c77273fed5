package dev.falclient.emulator;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.WebsocketServerSpec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * fal's realtime calls: the short-lived token on the REST host (fal-protocol.md section 2.3) and the WebSocket on the
 * run host (section 5.8), whose credentials (a token, or the key as a handshake header) and {@code max_buffering}
 * are checked before the upgrade, as fal's gateway does.
 */
final class RealtimeHandlers {

    /** fal's clients' default token lifetime, used when the body names none. */
    static final int DEFAULT_TOKEN_SECONDS = 120;
    /** The bound of {@code max_buffering} (both clients check it), also the buffer of a session without it. */
    static final int MAX_BUFFERING = 60;
    static final String TOKEN_PARAM = "fal_jwt_token";
    static final String BUFFERING_PARAM = "max_buffering";

    private final Scripts scripts;
    private final Admission admission;
    private final DefaultOutputs outputs;
    private final Tokens tokens;
    private final RealtimeSessions sessions;
    private final Duration idleTimeout;
    private final int maxFrame;
    private final Set<RealtimeSessionRunner> live = ConcurrentHashMap.newKeySet();

    /** Tokens and sessions are remembered within the recording bounds; a frame may be as large as a body. */
    RealtimeHandlers(EmulatorConfig config, Scripts scripts, Admission admission, DefaultOutputs outputs) {
        this.scripts = scripts;
        this.admission = admission;
        this.outputs = outputs;
        this.tokens = new Tokens(config.maxRecordedRequests());
        this.sessions = new RealtimeSessions(config.maxRecordedRequests(), config.maxRecordedBytes());
        this.idleTimeout = config.realtimeIdleTimeout();
        this.maxFrame = (int) Math.min(config.maxBodySize(), Integer.MAX_VALUE);
    }

    /** {@code POST {rest}/tokens/}: answers the token as a bare JSON string. */
    Reply token(String body) {
        JsonNode in;
        try {
            in = Replies.parseInput(body);
        } catch (JacksonException e) {
            return Replies.invalidJson(null, e);
        }
        if (!in.isObject()) {
            return invalid("body", "Input should be a valid dictionary", "dict_type", in);
        }
        JsonNode apps = in.path("allowed_apps");
        List<String> aliases = new ArrayList<>();
        apps.values().forEach(a -> aliases.add(a.isString() && !a.stringValue().isBlank() ? a.stringValue() : null));
        if (!apps.isArray() || aliases.isEmpty() || aliases.contains(null)) {
            return invalid("allowed_apps", "allowed_apps must be a non-empty list of app aliases", "value_error",
                    apps.isMissingNode() ? null : apps);
        }
        JsonNode expiration = in.path("token_expiration");
        int seconds = DEFAULT_TOKEN_SECONDS;
        if (!expiration.isMissingNode() && !expiration.isNull()) {
            if (!expiration.isIntegralNumber() || !expiration.canConvertToInt() || expiration.intValue() < 1) {
                return invalid("token_expiration", "token_expiration must be a positive whole number of seconds",
                        "value_error", expiration);
            }
            seconds = expiration.intValue();
        }
        IssuedToken t = tokens.issue(aliases, Duration.ofSeconds(seconds), Instant.now());
        return Replies.json(200, null, Replies.NODES.stringNode(t.token()));
    }

    /** {@code GET {run}/{endpointId}/realtime}: the upgrade, or the answer fal's gateway gives instead. */
    Reply connect(Call.Realtime call, Map<String, List<String>> query, HttpServerRequest req) {
        String token = first(query, TOKEN_PARAM);
        RealtimeSession.Auth auth = token == null ? RealtimeSession.Auth.KEY : RealtimeSession.Auth.TOKEN;
        if (token != null) {
            Tokens.Verdict verdict = tokens.check(token, call.endpoint().alias(), Instant.now());
            if (verdict instanceof Tokens.Verdict.Refused r) {
                return Replies.detail(r.status(), r.detail());
            }
        } else if (!req.requestHeaders().contains(HttpHeaderNames.AUTHORIZATION)) {
            return Replies.detail(401, "Missing authorization: a " + TOKEN_PARAM
                    + " query parameter or an Authorization header");
        } else {
            Reply.Body rejected = admission.rejectKey(req);
            if (rejected != null) {
                return rejected;
            }
        }
        String buffering = first(query, BUFFERING_PARAM);
        int maxBuffering = buffering == null ? MAX_BUFFERING : parseBuffering(buffering);
        if (maxBuffering == 0) {
            ObjectNode n = Replies.NODES.objectNode();
            n.putArray("detail").addObject().put("msg", BUFFERING_PARAM + " must be an integer from 1 to "
                    + MAX_BUFFERING).put("type", "value_error").put("input", buffering)
                    .putArray("loc").add("query").add(BUFFERING_PARAM);
            return Replies.json(422, null, n);
        }
        if (!req.requestHeaders().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            return Replies.detail(426, "Upgrade required: the realtime endpoint is a WebSocket");
        }
        Map<String, String> recordedQuery = new LinkedHashMap<>();
        query.forEach((k, v) -> {
            if (!k.equals(TOKEN_PARAM) && !v.isEmpty()) {
                recordedQuery.put(k, v.get(0));
            }
        });
        RealtimeScript script = scripts.realtime(call.endpoint().base(), idleTimeout);
        String endpointId = call.endpoint().full();
        return new Reply.Upgrade(WebsocketServerSpec.builder().maxFramePayloadLength(maxFrame).build(),
                (in, out) -> {
                    RealtimeSessionRunner runner = new RealtimeSessionRunner(script, maxBuffering, maxFrame, outputs,
                            sessions, sessions.open(endpointId, auth, token, recordedQuery));
                    live.add(runner);
                    return Mono.from(runner.run(in, out))
                            .doFinally(s -> live.remove(runner));
                });
    }

    List<IssuedToken> issuedTokens() {
        return tokens.all();
    }

    List<RealtimeSession> sessions() {
        return sessions.all();
    }

    /** Forgets tokens and recorded sessions, and closes the open sessions with 1001. */
    void reset() {
        live.forEach(RealtimeSessionRunner::shutDown);
        tokens.clear();
        sessions.clear();
    }

    /** 1 to 60, else 0. */
    private static int parseBuffering(String value) {
        try {
            int n = Integer.parseInt(value.trim());
            return n >= 1 && n <= MAX_BUFFERING ? n : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static Reply invalid(String field, String msg, String type, JsonNode input) {
        ObjectNode n = Replies.NODES.objectNode();
        ObjectNode item = n.putArray("detail").addObject();
        var loc = item.putArray("loc").add("body");
        if (!field.equals("body")) {
            loc.add(field);
        }
        item.put("msg", msg).put("type", type);
        if (input != null) {
            item.set("input", input);
        }
        return Replies.json(422, null, n);
    }
}
