package dev.falclient.emulator;

import io.netty.buffer.Unpooled;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.ByteBufFlux;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * An in-process, protocol-faithful fake of fal's HTTP API (queue, run, streaming run, generated files) on Reactor
 * Netty. It has a real FIFO queue per endpoint with N workers, log lines, status polling and server-sent status
 * events, cancel, scripted outputs and failures, fault injection, and request recording. Thread-safe; starts in
 * milliseconds once Netty is loaded (about a second in a cold JVM); never blocks an event-loop thread.
 *
 * <p>Usage:
 * <pre>{@code
 * try (FalEmulator emu = FalEmulator.builder().processingTime(Duration.ofMillis(100)).start()) {
 *     String queue = emu.queueUrl();   // use instead of https://queue.fal.run
 *     String run = emu.runUrl();       // use instead of https://fal.run
 *     emu.endpoint("fal-ai/fast-sdxl").workers(1).logLines(List.of("loading", "step 1/2", "step 2/2"));
 *     emu.fault(CallKind.STATUS).times(2).httpStatus(429).retryAfter(Duration.ofSeconds(1));
 *     // ... exercise the client, then inspect emu.requests(CallKind.SUBMIT)
 * }
 * }</pre>
 */
public final class FalEmulator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FalEmulator.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String JSON = "application/json";
    private static final String REQUEST_ID = "x-fal-request-id";

    private final Builder config;
    private final JsonMapper mapper = JsonMapper.builder().build();
    private final Map<String, EndpointScript> scripts = new ConcurrentHashMap<>();
    private final Map<CallKind, ConcurrentLinkedQueue<Fault>> faults = new EnumMap<>(CallKind.class);
    private final ArrayDeque<RecordedRequest> recorded = new ArrayDeque<>();
    private final List<WebhookRecord> webhooks = new ArrayList<>();
    private final Map<String, String> prompts;
    private final PngRenderer renderer = new PngRenderer(256);
    private final QueueEngine engine;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final DisposableServer server;
    private final String baseUrl;
    private final HttpClient webhookClient;

    private FalEmulator(Builder b) {
        this.config = b.copy();
        for (CallKind k : CallKind.values()) {
            faults.put(k, new ConcurrentLinkedQueue<>());
        }
        this.prompts = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > 10_000;
            }
        };
        this.engine = new QueueEngine(new EngineHost(), config.logWindow, config.logWindowLines,
                config.maxRetainedRequests);
        this.webhookClient = config.deliverWebhooks ? HttpClient.create().responseTimeout(Duration.ofSeconds(15)) : null;
        try {
            this.server = HttpServer.create()
                    .host(config.host)
                    .port(config.port)
                    .doOnConnection(c -> connections.add(c.channel()))
                    .handle(this::handle)
                    .bindNow(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            engine.shutdown();
            throw e;
        }
        String urlHost = "0.0.0.0".equals(config.host) || "::".equals(config.host) ? "127.0.0.1" : config.host;
        if (urlHost.contains(":") && !urlHost.startsWith("[")) {
            urlHost = "[" + urlHost + "]";
        }
        this.baseUrl = "http://" + urlHost + ":" + server.port() + config.pathPrefix;
        log.debug("fal emulator listening on {}", baseUrl);
    }

    /** Starts an emulator with the defaults on a random port of 127.0.0.1. */
    public static FalEmulator start() {
        return builder().start();
    }

    /** A builder for a configured emulator; finish with {@link Builder#start()}. */
    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------ URLs

    /** {@code http://host:port[/prefix]}. */
    public String baseUrl() {
        return baseUrl;
    }

    /** Stands for {@code https://queue.fal.run}: {@code baseUrl() + "/queue"}. */
    public String queueUrl() {
        return baseUrl + "/queue";
    }

    /** Stands for {@code https://fal.run}: {@code baseUrl() + "/run"}. */
    public String runUrl() {
        return baseUrl + "/run";
    }

    /** Stands for {@code https://rest.fal.ai}: {@code baseUrl() + "/rest"} (nothing is emulated there yet: 404). */
    public String restUrl() {
        return baseUrl + "/rest";
    }

    /** Stands for {@code https://v3.fal.media}: generated PNGs are served under {@code cdnUrl() + "/files/"}. */
    public String cdnUrl() {
        return baseUrl + "/cdn";
    }

    /** The bound port. */
    public int port() {
        return server.port();
    }

    // ------------------------------------------------------------------ scripting

    /**
     * The script of an endpoint, created on first use. Sub-paths share the script of {@code [ns/]owner/alias}, so
     * {@code endpoint("fal-ai/flux/dev")} and {@code endpoint("fal-ai/flux")} are the same object.
     *
     * @throws IllegalArgumentException if the id is not a valid fal endpoint id
     */
    public EndpointScript endpoint(String endpointId) {
        EndpointId id = EndpointId.parse(stripSlashes(endpointId));
        if (id == null) {
            throw new IllegalArgumentException("Invalid endpoint id: " + endpointId);
        }
        return scripts.computeIfAbsent(id.base(), EndpointScript::new);
    }

    /** Arms a fault for the next call (see {@link Fault#times(int)}) of the given kind. Faults queue up in order. */
    public Fault fault(CallKind kind) {
        Fault f = new Fault(Objects.requireNonNull(kind, "kind"));
        faults.get(kind).add(f);
        return f;
    }

    // ------------------------------------------------------------------ recording

    /** Every recorded call (oldest first; bounded, see {@link Builder#maxRecordedRequests(int)}). */
    public List<RecordedRequest> requests() {
        synchronized (recorded) {
            return List.copyOf(recorded);
        }
    }

    /** Recorded calls of one kind (oldest first). */
    public List<RecordedRequest> requests(CallKind kind) {
        synchronized (recorded) {
            return recorded.stream().filter(r -> r.kind() == kind).toList();
        }
    }

    /** Forgets the recorded calls and webhooks. */
    public void clearRequests() {
        synchronized (recorded) {
            recorded.clear();
        }
        synchronized (webhooks) {
            webhooks.clear();
        }
    }

    /** The {@code fal_webhook} URLs given on submits, oldest first. */
    public List<WebhookRecord> webhooks() {
        synchronized (webhooks) {
            return List.copyOf(webhooks);
        }
    }

    /**
     * Clears scripts (existing {@link EndpointScript} objects stay attached but are reset), faults, recorded calls,
     * webhooks and every queue (pending requests are dropped, open status streams closed).
     */
    public void reset() {
        scripts.values().forEach(EndpointScript::reset);
        faults.values().forEach(ConcurrentLinkedQueue::clear);
        clearRequests();
        engine.clear();
    }

    /** Stops the server and all timers. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            engine.shutdown();
            // keep-alive and streaming connections would otherwise outlive the server
            connections.close().awaitUninterruptibly(5, java.util.concurrent.TimeUnit.SECONDS);
            server.disposeNow(Duration.ofSeconds(5));
            connections.close();
        }
    }

    @Override
    public String toString() {
        return "FalEmulator[" + baseUrl + "]";
    }

    // ------------------------------------------------------------------ HTTP

    /** A classified call. */
    private record Call(CallKind kind, EndpointId endpoint, String requestId, int otherStatus, String otherDetail) {
        static Call other(int status, String detail) {
            return new Call(CallKind.OTHER, null, null, status, detail);
        }
    }

    private Publisher<Void> handle(HttpServerRequest req, HttpServerResponse res) {
        String method = req.method().name();
        QueryStringDecoder qsd = new QueryStringDecoder(req.uri());
        String path = qsd.path();
        Map<String, List<String>> query = qsd.parameters();
        return req.receive().aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                .onErrorResume(e -> Mono.just(""))
                .flatMap(body -> {
                    Call call = classify(method, path);
                    record(req, method, path, query, body, call);
                    Fault.Plan plan = consumeFault(call.kind());
                    Mono<Reply> reply = plan == null
                            ? Mono.defer(() -> execute(call, req, query, body))
                            : withFault(plan, call, Mono.defer(() -> execute(call, req, query, body)));
                    return reply.onErrorResume(e -> {
                        log.warn("fal emulator: handler failed for {} {}", method, path, e);
                        return Mono.just(json(500, call.requestId(),
                                NODES.objectNode().put("detail", "Emulator error: " + e)
                                        .put("error_type", "internal_error")));
                    }).flatMap(r -> write(res, r));
                });
    }

    private Call classify(String method, String rawPath) {
        String prefix = config.pathPrefix;
        String path = rawPath;
        while (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (!path.startsWith(prefix + "/")) {
            return Call.other(404, "Not Found");
        }
        String sub = path.substring(prefix.length());
        if (sub.startsWith("/queue/")) {
            String rest = sub.substring("/queue/".length());
            String[] segs = rest.split("/");
            int baseLen = EndpointId.isNamespace(segs[0]) ? 3 : 2;
            if (segs.length >= baseLen + 2 && "requests".equals(segs[baseLen])) {
                EndpointId id = EndpointId.parse(String.join("/", Arrays.copyOfRange(segs, 0, baseLen)));
                String requestId = segs[baseLen + 1];
                String tail = String.join("/", Arrays.copyOfRange(segs, baseLen + 2, segs.length));
                CallKind kind = switch (tail) {
                    case "" -> CallKind.RESULT;
                    case "status" -> CallKind.STATUS;
                    case "status/stream" -> CallKind.STATUS_STREAM;
                    case "cancel" -> CallKind.CANCEL;
                    default -> null;
                };
                if (kind == null || id == null) {
                    return Call.other(404, "Not Found");
                }
                String expected = kind == CallKind.CANCEL ? "PUT" : "GET";
                if (!expected.equals(method)) {
                    return Call.other(405, "Method Not Allowed");
                }
                return new Call(kind, id, requestId, 0, null);
            }
            EndpointId id = EndpointId.parse(rest);
            if (id == null) {
                return Call.other(404, "Not Found");
            }
            if (!"POST".equals(method)) {
                if (Arrays.asList(segs).subList(baseLen, segs.length).contains("requests")) {
                    return Call.other(404, "Request not found (status, result and cancel URLs use only"
                            + " [namespace/]owner/alias, without the endpoint sub-path)");
                }
                return Call.other(405, "Method Not Allowed");
            }
            return new Call(CallKind.SUBMIT, id, UUID.randomUUID().toString(), 0, null);
        }
        if (sub.startsWith("/run/")) {
            String rest = sub.substring("/run/".length());
            EndpointId id = EndpointId.parse(rest);
            if (id == null) {
                return Call.other(404, "Not Found");
            }
            if (!"POST".equals(method)) {
                return Call.other(405, "Method Not Allowed");
            }
            if (id.path() != null && (id.path().equals("stream") || id.path().endsWith("/stream"))) {
                EndpointId target = EndpointId.parse(rest.substring(0, rest.length() - "/stream".length()));
                return new Call(CallKind.STREAM, target, UUID.randomUUID().toString(), 0, null);
            }
            return new Call(CallKind.RUN, id, UUID.randomUUID().toString(), 0, null);
        }
        if (sub.startsWith("/cdn/files/") && sub.length() > "/cdn/files/".length()) {
            if (!"GET".equals(method) && !"HEAD".equals(method)) {
                return Call.other(405, "Method Not Allowed");
            }
            return new Call(CallKind.FILE, null, null, 0, sub.substring("/cdn/files/".length()));
        }
        if (sub.startsWith("/rest/") || sub.equals("/rest")) {
            return Call.other(404, "Not emulated: the REST API (tokens, storage) is not part of the fal emulator");
        }
        return Call.other(404, "Not Found");
    }

    private void record(HttpServerRequest req, String method, String path, Map<String, List<String>> query,
                        String body, Call call) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        req.requestHeaders().forEach(e -> headers.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        String endpointId = call.endpoint() == null ? null
                : (call.kind() == CallKind.SUBMIT || call.kind() == CallKind.RUN || call.kind() == CallKind.STREAM)
                ? call.endpoint().full() : call.endpoint().base();
        RecordedRequest r = new RecordedRequest(call.kind(), method, path, endpointId, call.requestId(), headers,
                query, body, Instant.now());
        synchronized (recorded) {
            recorded.addLast(r);
            while (recorded.size() > config.maxRecordedRequests) {
                recorded.pollFirst();
            }
        }
    }

    private Fault.Plan consumeFault(CallKind kind) {
        ConcurrentLinkedQueue<Fault> q = faults.get(kind);
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

    private Mono<Reply> withFault(Fault.Plan plan, Call call, Mono<Reply> normal) {
        Mono<Reply> reply;
        Fault.Action action = plan.action();
        if (action == null) {
            reply = normal;
        } else if (action instanceof Fault.Status s) {
            Map<String, String> headers = new LinkedHashMap<>();
            if (call.requestId() != null) {
                headers.put(REQUEST_ID, call.requestId());
            }
            if (s.retryAfter() != null) {
                long secs = (s.retryAfter().toMillis() + 999) / 1000;
                headers.put("Retry-After", Long.toString(secs));
            }
            if (s.errorType() != null) {
                headers.put("X-Fal-Error-Type", s.errorType());
            }
            String contentType = s.contentType() == null ? JSON : s.contentType();
            String body = s.body();
            if (body == null) {
                ObjectNode n = NODES.objectNode().put("detail", reason(s.status()));
                if (s.errorType() != null) {
                    n.put("error_type", s.errorType());
                }
                body = n.toString();
            }
            reply = Mono.just(new Reply.Body(s.status(), contentType, headers, utf8(body)));
        } else if (action instanceof Fault.Ingress i) {
            String html = "<html>\r\n<head><title>" + i.status() + " " + reason(i.status()) + "</title></head>\r\n"
                    + "<body>\r\n<center><h1>" + i.status() + " " + reason(i.status()) + "</h1></center>\r\n"
                    + "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
            reply = Mono.just(new Reply.Body(i.status(), "text/html", Map.of(), utf8(html)));
        } else if (action instanceof Fault.Drop) {
            reply = Mono.just(new Reply.Drop());
        } else if (action instanceof Fault.Malformed) {
            reply = normal.map(r -> {
                if (r instanceof Reply.Body b) {
                    int cut = Math.max(1, b.bytes().length / 2);
                    byte[] bytes = b.bytes().length == 0 ? utf8("{\"") : Arrays.copyOf(b.bytes(), cut);
                    return new Reply.Body(200, JSON, b.headers(), bytes);
                }
                if (r instanceof Reply.Sse s) {
                    return new Reply.Sse(s.headers(), s.events().take(1).map(ev -> ev.substring(0, ev.length() / 2) + "\n\n"));
                }
                return r;
            });
        } else {
            reply = normal.map(r -> r instanceof Reply.Sse s ? new Reply.Sse(s.headers(), s.events().take(1)) : r);
        }
        if (!plan.delay().isZero()) {
            return Mono.delay(plan.delay()).then(reply);
        }
        return reply;
    }

    private Mono<Reply> execute(Call call, HttpServerRequest req, Map<String, List<String>> query, String body) {
        if (call.kind() == CallKind.FILE) {
            return serveFile(call.otherDetail());
        }
        String auth = req.requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
        if (!authorized(auth)) {
            String detail = auth == null ? "Missing authorization header" : "No user found for Key ID and Secret";
            return Mono.just(json(401, null, NODES.objectNode().put("detail", detail)));
        }
        return switch (call.kind()) {
            case OTHER -> Mono.just(json(call.otherStatus(), null, NODES.objectNode().put("detail", call.otherDetail())));
            case SUBMIT -> Mono.just(submit(call, query, body));
            case STATUS -> Mono.just(status(call, query));
            case STATUS_STREAM -> Mono.just(statusStream(call, query));
            case RESULT -> Mono.just(result(call));
            case CANCEL -> Mono.just(cancel(call));
            case RUN -> run(call, body);
            case STREAM -> stream(call, body);
            case FILE -> throw new IllegalStateException();
        };
    }

    private boolean authorized(String header) {
        if (header == null || !header.startsWith("Key ")) {
            return false;
        }
        String key = header.substring(4).trim();
        if (key.isEmpty()) {
            return false;
        }
        return config.requiredKey == null || config.requiredKey.equals(key);
    }

    private JsonNode parseInput(String body) {
        if (body == null || body.isBlank()) {
            return NODES.objectNode();
        }
        return mapper.readTree(body);
    }

    private Reply invalidJson(String requestId, JacksonException e) {
        ObjectNode n = NODES.objectNode();
        n.putArray("detail").addObject().put("msg", "Invalid JSON body: " + e.getOriginalMessage())
                .put("type", "value_error.jsondecode").putArray("loc").add("body");
        return json(422, requestId, n);
    }

    private Reply submit(Call call, Map<String, List<String>> query, String body) {
        JsonNode input;
        try {
            input = parseInput(body);
        } catch (JacksonException e) {
            return invalidJson(call.requestId(), e);
        }
        List<String> hooks = query.get("fal_webhook");
        String webhook = hooks == null || hooks.isEmpty() ? null : hooks.get(0);
        int[] position = new int[1];
        QueueEngine.Req r = engine.submit(call.requestId(), call.endpoint(), input, webhook, position);
        ObjectNode n = NODES.objectNode();
        n.put("status", "IN_QUEUE");
        n.put("request_id", r.id);
        n.put("response_url", r.responseUrl());
        n.put("status_url", r.responseUrl() + "/status");
        n.put("cancel_url", r.responseUrl() + "/cancel");
        n.put("queue_position", position[0]);
        if (webhook != null) {
            n.put("gateway_request_id", r.id);
            synchronized (webhooks) {
                webhooks.add(new WebhookRecord(r.id, r.id, webhook, r.submittedAt));
                while (webhooks.size() > config.maxRecordedRequests) {
                    webhooks.remove(0);
                }
            }
        }
        return json(200, r.id, n);
    }

    private QueueEngine.Req lookup(Call call) {
        QueueEngine.Req r = engine.find(call.requestId());
        return r != null && r.endpoint.base().equals(call.endpoint().base()) ? r : null;
    }

    private static boolean flag(Map<String, List<String>> query, String name) {
        List<String> v = query.get(name);
        return v != null && !v.isEmpty() && ("1".equals(v.get(0)) || "true".equalsIgnoreCase(v.get(0)));
    }

    private Reply notFound(Call call) {
        return json(404, null, NODES.objectNode().put("detail", "Request not found"));
    }

    private Reply status(Call call, Map<String, List<String>> query) {
        QueueEngine.Req r = lookup(call);
        if (r == null) {
            return notFound(call);
        }
        QueueEngine.StatusAnswer a = engine.status(r, flag(query, "logs"));
        return json(a.httpStatus(), r.id, a.body());
    }

    private Reply statusStream(Call call, Map<String, List<String>> query) {
        QueueEngine.Req r = lookup(call);
        if (r == null) {
            return notFound(call);
        }
        return new Reply.Sse(Map.of(REQUEST_ID, r.id), engine.statusStream(r, flag(query, "logs")));
    }

    private Reply result(Call call) {
        QueueEngine.Req r = lookup(call);
        if (r == null) {
            return notFound(call);
        }
        QueueEngine.Outcome outcome;
        synchronized (r.queue) {
            if (r.state != QueueEngine.State.COMPLETED) {
                return json(400, r.id, NODES.objectNode().put("detail", "Request is still in progress"));
            }
            outcome = r.outcome;
        }
        return outcomeReply(r.id, outcome);
    }

    private Reply outcomeReply(String requestId, QueueEngine.Outcome outcome) {
        if (outcome instanceof QueueEngine.Success s) {
            return json(200, requestId, s.output());
        }
        if (outcome instanceof QueueEngine.Failed f) {
            Reply.Body b = json(f.failure().resultStatus(), requestId, f.failure().resultBody());
            if (f.failure().errorType() != null) {
                Map<String, String> h = new LinkedHashMap<>(b.headers());
                h.put("X-Fal-Error-Type", f.failure().errorType());
                return new Reply.Body(b.status(), b.contentType(), h, b.bytes());
            }
            return b;
        }
        if (outcome instanceof QueueEngine.Invalid i) {
            return json(422, requestId, i.body());
        }
        Reply.Body b = json(499, requestId, NODES.objectNode().put("detail", "Request cancelled by client")
                .put("error_type", "client_cancelled"));
        Map<String, String> h = new LinkedHashMap<>(b.headers());
        h.put("X-Fal-Error-Type", "client_cancelled");
        return new Reply.Body(499, b.contentType(), h, b.bytes());
    }

    private Reply cancel(Call call) {
        QueueEngine.Req r = lookup(call);
        if (r == null) {
            return json(404, null, NODES.objectNode().put("status", "NOT_FOUND"));
        }
        String[] answer = engine.cancel(r);
        return json(Integer.parseInt(answer[0]), r.id, NODES.objectNode().put("status", answer[1]));
    }

    private Mono<Reply> run(Call call, String body) {
        JsonNode input;
        try {
            input = parseInput(body);
        } catch (JacksonException e) {
            return Mono.just(invalidJson(call.requestId(), e));
        }
        EndpointScript.Snapshot script = snapshot(call.endpoint().base());
        if (script.validationBody() != null) {
            return Mono.just(json(422, call.requestId(), script.validationBody()));
        }
        long started = System.nanoTime();
        return Mono.delay(script.processingTime()).map(x -> {
            double seconds = (System.nanoTime() - started) / 1e9;
            return outcomeReply(call.requestId(), engine.computeOutcome(script, call.requestId(), input, seconds));
        });
    }

    private Mono<Reply> stream(Call call, String body) {
        JsonNode input;
        try {
            input = parseInput(body);
        } catch (JacksonException e) {
            return Mono.just(invalidJson(call.requestId(), e));
        }
        EndpointScript.Snapshot script = snapshot(call.endpoint().base());
        if (script.validationBody() != null) {
            return Mono.just(json(422, call.requestId(), script.validationBody()));
        }
        if (script.failure() != null) {
            return Mono.just(outcomeReply(call.requestId(), new QueueEngine.Failed(script.failure())));
        }
        List<String> lines = script.logLines().isEmpty() ? List.of("working") : script.logLines();
        int steps = lines.size();
        Duration step = script.processingTime().dividedBy(steps + 1);
        long started = System.nanoTime();
        Flux<String> partials = Flux.range(0, steps).concatMap(i -> Mono.delay(step).map(x -> {
            ObjectNode n = NODES.objectNode();
            n.put("partial", true);
            n.put("progress", (double) (i + 1) / (steps + 1));
            n.put("message", lines.get(i));
            n.put("request_id", call.requestId());
            return "data: " + n + "\n\n";
        }));
        Mono<String> last = Mono.delay(step).map(x -> {
            double seconds = (System.nanoTime() - started) / 1e9;
            QueueEngine.Outcome o = engine.computeOutcome(script, call.requestId(), input, seconds);
            JsonNode out = o instanceof QueueEngine.Success s ? s.output()
                    : NODES.objectNode().put("detail", "Streaming failed").put("error_type", "runner_server_error");
            return "data: " + out + "\n\n";
        });
        return Mono.just(new Reply.Sse(Map.of(REQUEST_ID, call.requestId()), partials.concatWith(last)));
    }

    private Mono<Reply> serveFile(String name) {
        if (!name.endsWith(".png") || name.contains("..")) {
            return Mono.just(new Reply.Body(404, JSON, Map.of(), utf8("{\"detail\":\"Not Found\"}")));
        }
        String fileName = name.substring(name.lastIndexOf('/') + 1);
        String id = fileName.substring(0, fileName.length() - ".png".length());
        String prompt;
        synchronized (prompts) {
            prompt = prompts.get(id);
        }
        return Mono.fromCallable(() -> (Reply) new Reply.Body(200, "image/png",
                        Map.of("Cache-Control", "public, max-age=3600"), renderer.render(fileName, prompt)))
                .subscribeOn(Schedulers.boundedElastic());
    }

    private Reply.Body json(int status, String requestId, JsonNode body) {
        Map<String, String> headers = requestId == null ? Map.of() : Map.of(REQUEST_ID, requestId);
        return new Reply.Body(status, JSON, headers, utf8(mapper.writeValueAsString(body)));
    }

    private Mono<Void> write(HttpServerResponse res, Reply reply) {
        if (reply instanceof Reply.Drop) {
            return Mono.create(sink -> res.withConnection(c -> {
                c.onDispose(sink::success);
                c.channel().close();
            }));
        }
        if (reply instanceof Reply.Body b) {
            res.status(b.status());
            b.headers().forEach(res::header);
            res.header(HttpHeaderNames.CONTENT_TYPE, b.contentType());
            res.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(b.bytes().length));
            return res.sendByteArray(Mono.just(b.bytes())).then();
        }
        Reply.Sse s = (Reply.Sse) reply;
        res.status(200);
        s.headers().forEach(res::header);
        res.header(HttpHeaderNames.CONTENT_TYPE, "text/event-stream");
        res.header(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        Flux<String> events = s.events();
        if (config.streamKeepAlive != null) {
            Duration every = config.streamKeepAlive;
            events = events.publish(p -> Flux.merge(p,
                    Flux.interval(every).map(i -> ": ping\n\n").takeUntilOther(p.ignoreElements())));
        }
        return res.send(events.map(ev -> Unpooled.wrappedBuffer(utf8(ev))), b -> true).then();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String reason(int status) {
        return HttpResponseStatus.valueOf(status).reasonPhrase();
    }

    private static String stripSlashes(String id) {
        String s = id == null ? "" : id.trim();
        while (s.startsWith("/")) {
            s = s.substring(1);
        }
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    private EndpointScript.Snapshot snapshot(String base) {
        EndpointScript s = scripts.get(base);
        return s == null
                ? new EndpointScript.Snapshot(config.processingTime, config.queueTime, config.defaultLogLines(), null,
                null, null)
                : s.snapshot(config.processingTime, config.queueTime, config.defaultLogLines());
    }

    JsonNode defaultOutput(String requestId, JsonNode input, double seconds) {
        String prompt = input.path("prompt").isString() ? input.path("prompt").asString() : "";
        synchronized (prompts) {
            prompts.put(requestId, prompt);
        }
        ObjectNode out = NODES.objectNode();
        out.putArray("images").addObject()
                .put("url", cdnUrl() + "/files/" + requestId + ".png")
                .put("width", PngRenderer.SIZE)
                .put("height", PngRenderer.SIZE)
                .put("content_type", "image/png");
        JsonNode seed = input.path("seed");
        out.put("seed", seed.isIntegralNumber() ? seed.asLong() : (requestId.hashCode() & 0x7fffffffL));
        out.put("prompt", prompt);
        out.putArray("has_nsfw_concepts").add(false);
        out.putObject("timings").put("inference", seconds);
        return out;
    }

    private void deliverWebhook(QueueEngine.Req r) {
        if (webhookClient == null || r.webhookUrl == null || closed.get()) {
            return;
        }
        ObjectNode payload = NODES.objectNode();
        payload.put("request_id", r.id);
        payload.put("gateway_request_id", r.id);
        Reply.Body reply = (Reply.Body) outcomeReply(r.id, r.outcome);
        JsonNode body = mapper.readTree(new String(reply.bytes(), StandardCharsets.UTF_8));
        if (reply.status() == 200) {
            payload.put("status", "OK");
            payload.set("payload", body);
        } else {
            payload.put("status", "ERROR");
            payload.set("payload", body);
            payload.put("error", "Invalid status code: " + reply.status());
        }
        String json = payload.toString();
        webhookClient.headers(h -> h.set(HttpHeaderNames.CONTENT_TYPE, JSON))
                .post().uri(r.webhookUrl)
                .send(ByteBufFlux.fromString(Mono.just(json)))
                .responseSingle((resp, bytes) -> Mono.just(resp.status().code()))
                .subscribe(code -> log.debug("fal emulator: webhook for {} answered {}", r.id, code),
                        e -> log.debug("fal emulator: webhook for {} failed: {}", r.id, e.toString()));
    }

    private final class EngineHost implements QueueEngine.Host {
        @Override
        public EndpointScript scriptOrNull(String base) {
            return scripts.get(base);
        }

        @Override
        public EndpointScript.Snapshot snapshot(String base) {
            return FalEmulator.this.snapshot(base);
        }

        @Override
        public int defaultWorkers() {
            return config.workers;
        }

        @Override
        public JsonNode defaultOutput(String requestId, JsonNode input, double seconds) {
            return FalEmulator.this.defaultOutput(requestId, input, seconds);
        }

        @Override
        public void completed(QueueEngine.Req req) {
            deliverWebhook(req);
        }

        @Override
        public String queueUrl() {
            return FalEmulator.this.queueUrl();
        }
    }

    // ------------------------------------------------------------------ builder

    /**
     * Configures and starts a {@link FalEmulator}. Defaults: {@code 127.0.0.1}, random port, no path prefix, any
     * non-empty key, 2 workers per endpoint, 500 ms processing, 3 log lines, logs window 10 s / 20 lines.
     *
     * <p>Usage: {@code FalEmulator.builder().pathPrefix("/gateway").requiredKey("secret").workers(1).start();}
     */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 0;
        private String pathPrefix = "";
        private String requiredKey;
        private int workers = 2;
        private Duration processingTime = Duration.ofMillis(500);
        private Duration queueTime = Duration.ZERO;
        private int logLines = 3;
        private Duration logWindow = Duration.ofSeconds(10);
        private int logWindowLines = 20;
        private Duration streamKeepAlive;
        private boolean deliverWebhooks;
        private int maxRecordedRequests = 10_000;
        private int maxRetainedRequests = 10_000;

        private Builder() {
        }

        /** Interface to bind (default {@code 127.0.0.1}). */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** Port to bind; 0 (default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /** A path prefix kept in every URL, e.g. {@code /gateway} (default none). */
        public Builder pathPrefix(String pathPrefix) {
            String p = pathPrefix == null ? "" : pathPrefix.trim();
            while (p.endsWith("/")) {
                p = p.substring(0, p.length() - 1);
            }
            if (!p.isEmpty() && !p.startsWith("/")) {
                p = "/" + p;
            }
            this.pathPrefix = p;
            return this;
        }

        /** Only {@code Authorization: Key <requiredKey>} is accepted (default: any non-empty key). */
        public Builder requiredKey(String requiredKey) {
            this.requiredKey = requiredKey;
            return this;
        }

        /** Default number of workers per endpoint (default 2). */
        public Builder workers(int workers) {
            if (workers < 1) {
                throw new IllegalArgumentException("workers must be >= 1");
            }
            this.workers = workers;
            return this;
        }

        /** Default processing time (default 500 ms). */
        public Builder processingTime(Duration processingTime) {
            this.processingTime = nonNegative(processingTime);
            return this;
        }

        /** Default minimum time in IN_QUEUE even when a worker is free (default zero). */
        public Builder queueTime(Duration queueTime) {
            this.queueTime = nonNegative(queueTime);
            return this;
        }

        /** Default number of generic log lines per request (default 3). */
        public Builder logLines(int logLines) {
            if (logLines < 0) {
                throw new IllegalArgumentException("logLines must be >= 0");
            }
            this.logLines = logLines;
            return this;
        }

        /** Status polls with {@code logs=1} return entries not older than this (default 10 s). */
        public Builder logWindow(Duration logWindow) {
            this.logWindow = nonNegative(logWindow);
            return this;
        }

        /** Status polls with {@code logs=1} return at most this many of the newest entries (default 20). */
        public Builder logWindowLines(int lines) {
            if (lines < 0) {
                throw new IllegalArgumentException("lines must be >= 0");
            }
            this.logWindowLines = lines;
            return this;
        }

        /** Sends an SSE comment {@code : ping} this often on streams (default: never, like fal documents). */
        public Builder streamKeepAlive(Duration every) {
            this.streamKeepAlive = every == null || every.isZero() ? null : nonNegative(every);
            return this;
        }

        /** POSTs the webhook payload to {@code fal_webhook} URLs on completion, once, no signature (default off). */
        public Builder deliverWebhooks(boolean deliver) {
            this.deliverWebhooks = deliver;
            return this;
        }

        /** Bound of the recorded calls and webhooks (default 10,000). */
        public Builder maxRecordedRequests(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("max must be >= 1");
            }
            this.maxRecordedRequests = max;
            return this;
        }

        /** Completed requests kept for status/result calls; older ones answer 404 (default 10,000). */
        public Builder maxRetainedRequests(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("max must be >= 1");
            }
            this.maxRetainedRequests = max;
            return this;
        }

        /** Binds the server and returns the running emulator. */
        public FalEmulator start() {
            return new FalEmulator(this);
        }

        List<String> defaultLogLines() {
            List<String> lines = new ArrayList<>(logLines);
            for (int i = 1; i <= logLines; i++) {
                lines.add(i == 1 ? "Loading model" : "Inference step " + (i - 1) + "/" + (logLines - 1));
            }
            return lines;
        }

        Builder copy() {
            Builder b = new Builder();
            b.host = host;
            b.port = port;
            b.pathPrefix = pathPrefix;
            b.requiredKey = requiredKey;
            b.workers = workers;
            b.processingTime = processingTime;
            b.queueTime = queueTime;
            b.logLines = logLines;
            b.logWindow = logWindow;
            b.logWindowLines = logWindowLines;
            b.streamKeepAlive = streamKeepAlive;
            b.deliverWebhooks = deliverWebhooks;
            b.maxRecordedRequests = maxRecordedRequests;
            b.maxRetainedRequests = maxRetainedRequests;
            return b;
        }

        private static Duration nonNegative(Duration d) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException("duration must be >= 0");
            }
            return d;
        }
    }
}
