package dev.falclient.emulator;

import static dev.falclient.emulator.Checks.atLeastOne;
import static dev.falclient.emulator.Checks.atLeastZero;
import static dev.falclient.emulator.Checks.nonNegative;
import static dev.falclient.emulator.Checks.positive;

import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * An in-process, protocol-faithful fake of fal's HTTP API (queue, run, streaming run, generated files) on Reactor
 * Netty. It has a real FIFO queue per endpoint with N workers, log lines, status polling and server-sent status
 * events, cancel, realtime WebSocket sessions with their tokens, scripted outputs and failures, fault injection, and
 * request recording. Thread-safe; starts in milliseconds once Netty is loaded (about a second in a cold JVM); never
 * blocks an event-loop thread.
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

    private final EmulatorConfig config;
    private final Scripts scripts;
    private final FaultInjector faults = new FaultInjector();
    private final TrafficCounter traffic = new TrafficCounter();
    private final RequestRecorder recorder;
    private final StoredFiles stored = new StoredFiles();
    private final QueueEngine engine;
    private final RealtimeHandlers realtime;
    private final WebhookSender webhookSender = new WebhookSender();
    private final @Nullable Disposable webhooks;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final DisposableServer server;
    private final String baseUrl;

    private FalEmulator(EmulatorConfig config) {
        this.config = config;
        this.scripts = new Scripts(config);
        this.recorder = new RequestRecorder(config.maxRecordedRequests(), config.maxRecordedBytes());
        // the handlers need the URLs, which need the bound port: calls that arrive first wait for the router
        Sinks.One<Router> router = Sinks.one();
        this.server = HttpServer.create()
                .host(config.host())
                .port(config.port())
                // once per TCP connection (doOnConnection runs once per request on a kept-alive connection)
                .doOnChannelInit((observer, channel, remote) -> traffic.connection())
                .doOnConnection(c -> connections.add(c.channel()))
                .handle((req, res) -> router.asMono().flatMap(r -> r.handle(req, res)))
                .bindNow(Duration.ofSeconds(10));
        this.baseUrl = config.baseUrl(server.port());
        DefaultOutputs outputs = new DefaultOutputs(cdnUrl());
        ScriptRunner runner = new ScriptRunner(outputs);
        this.engine = new QueueEngine(scripts, runner, config.logWindow(), config.logWindowLines(),
                config.maxRetainedRequests());
        this.webhooks = config.deliverWebhooks() ? new WebhookDelivery(engine.completions(), webhookSender) : null;
        Admission admission = new Admission(config.requiredKey(), config.maxBodySize());
        this.realtime = new RealtimeHandlers(config, scripts, admission, outputs);
        router.tryEmitValue(new Router(new Routes(config.pathPrefix()), admission, recorder, faults,
                new Router.Handlers(new QueueHandlers(engine, recorder, queueUrl()), new RunHandlers(scripts, runner),
                        new StorageHandlers(stored, outputs, baseUrl, cdnUrl()), webhookSender, realtime),
                new ReplyWriter(config.streamKeepAlive()), traffic));
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

    /**
     * Stands for {@code https://rest.fal.ai}: {@code baseUrl() + "/rest"} (realtime token, storage token and upload
     * initiation).
     */
    public String restUrl() {
        return baseUrl + "/rest";
    }

    /**
     * Stands for a fal proxy (fal-protocol.md section 11; fal-js {@code proxyUrl}, fal-java
     * {@code ClientConfig.withProxyUrl}): {@code baseUrl() + "/proxy"}. A call carrying the header
     * {@code x-fal-target-url: https://queue.fal.run/...}, {@code https://fal.run/...} or
     * {@code https://rest.fal.ai/...} is answered as if the target's path and query had been requested below
     * {@link #queueUrl()}, {@link #runUrl()} or {@link #restUrl()}, on this or any other path; the key is checked as
     * usual, and the request URLs in queue answers name {@code https://queue.fal.run} as fal's answers passed on by a
     * proxy do. Another target answers 400, as does this path without the header.
     */
    public String proxyUrl() {
        return baseUrl + Routes.PROXY_PATH;
    }

    /** Stands for {@code https://v3.fal.media}: uploads, uploaded files and generated PNGs, below {@code /files/}. */
    public String cdnUrl() {
        return baseUrl + "/cdn";
    }

    /** Stands for {@code https://rest.fal.ai/.well-known/jwks.json}: the key of the webhook signatures. */
    public String jwksUrl() {
        return restUrl() + Routes.JWKS_PATH;
    }

    /** The emulator as the sender of webhooks: signing key, retries, faults, delivery attempts. */
    public WebhookSender webhookSender() {
        return webhookSender;
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
        return scripts.endpoint(endpointId);
    }

    /** Arms a fault for the next call (see {@link Fault#times(int)}) of the given kind. Faults queue up in order. */
    public Fault fault(CallKind kind) {
        return faults.arm(Objects.requireNonNull(kind, "kind"));
    }

    // ------------------------------------------------------------------ recording

    /**
     * Every recorded call (oldest first; bounded, see {@link Builder#maxRecordedRequests(int)} and
     * {@link Builder#maxRecordedBytes(long)}).
     */
    public List<RecordedRequest> requests() {
        return recorder.calls(null);
    }

    /** Recorded calls of one kind (oldest first). */
    public List<RecordedRequest> requests(CallKind kind) {
        return recorder.calls(Objects.requireNonNull(kind, "kind"));
    }

    /**
     * TCP connections accepted and HTTP calls received since start, all counted however far recording reaches
     * (see {@link Traffic}).
     */
    public Traffic traffic() {
        return traffic.snapshot();
    }

    /** Forgets the recorded calls and webhooks. */
    public void clearRequests() {
        recorder.clear();
    }

    /** Realtime sessions ({@code {run}/{endpointId}/realtime}), oldest first, as they stand now (bounded). */
    public List<RealtimeSession> realtimeSessions() {
        return realtime.sessions();
    }

    /** Realtime tokens issued on {@code POST {rest}/tokens/}, oldest first (bounded; expired ones included). */
    public List<IssuedToken> issuedTokens() {
        return realtime.issuedTokens();
    }

    /** Files uploaded to the emulator's storage, oldest first (512 MB at most; the oldest go first). */
    public List<UploadedFile> uploads() {
        return stored.uploads();
    }

    /** The {@code fal_webhook} URLs given on submits, oldest first. */
    public List<WebhookRecord> webhooks() {
        return recorder.webhooks();
    }

    /**
     * Clears scripts (existing {@link EndpointScript} objects stay attached but are reset), faults, recorded calls,
     * webhooks, uploaded files, realtime tokens and sessions (open ones are closed with 1001) and every queue (pending
     * requests are dropped, open status streams closed).
     */
    public void reset() {
        realtime.reset();
        stored.clear();
        scripts.reset();
        faults.clear();
        clearRequests();
        webhookSender.clear();
        engine.clear();
    }

    /** Stops the server and all timers. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            engine.shutdown();
            if (webhooks != null) {
                webhooks.dispose();
            }
            // keep-alive and streaming connections would otherwise outlive the server
            connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            server.disposeNow(Duration.ofSeconds(5));
            connections.close();
        }
    }

    @Override
    public String toString() {
        return "FalEmulator[" + baseUrl + "]";
    }

    /** The settings this emulator runs with (for tests of the defaults). */
    EmulatorConfig config() {
        return config;
    }

    // ------------------------------------------------------------------ builder

    /**
     * Configures and starts a {@link FalEmulator}. Defaults: {@code 127.0.0.1}, random port, no path prefix, any
     * non-empty key, 2 workers per endpoint, 500 ms processing, 3 log lines, logs window 10 s / 20 lines, a keep-alive
     * comment on streams every 15 s, bodies (and realtime frames) up to 64 MB, recordings up to 10,000 calls and 64 MB,
     * realtime sessions closed after 60 s without an input.
     *
     * <p>Usage: {@code FalEmulator.builder().pathPrefix("/gateway").requiredKey("secret").workers(1).start();}
     */
    public static final class Builder {
        private static final long MB = 1024 * 1024;

        private String host = "127.0.0.1";
        private int port = 0;
        private String pathPrefix = "";
        private @Nullable String requiredKey;
        private int workers = 2;
        private Duration processingTime = Duration.ofMillis(500);
        private Duration queueTime = Duration.ZERO;
        private int logLines = 3;
        private Duration logWindow = Duration.ofSeconds(10);
        private int logWindowLines = 20;
        private @Nullable Duration streamKeepAlive = Duration.ofSeconds(15);
        private boolean deliverWebhooks;
        private int maxRecordedRequests = 10_000;
        private long maxRecordedBytes = 64 * MB;
        private int maxRetainedRequests = 10_000;
        private long maxBodySize = 64 * MB;
        private Duration realtimeIdleTimeout = Duration.ofSeconds(60);

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
            this.pathPrefix = EmulatorConfig.normalisePrefix(pathPrefix);
            return this;
        }

        /** Only {@code Authorization: Key <requiredKey>} is accepted (default: any non-empty key). */
        public Builder requiredKey(@Nullable String requiredKey) {
            this.requiredKey = requiredKey;
            return this;
        }

        /** Default number of workers per endpoint (default 2). */
        public Builder workers(int workers) {
            this.workers = atLeastOne(workers, "workers");
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
            this.logLines = atLeastZero(logLines, "logLines");
            return this;
        }

        /** Status polls with {@code logs=1} return entries not older than this (default 10 s). */
        public Builder logWindow(Duration logWindow) {
            this.logWindow = nonNegative(logWindow);
            return this;
        }

        /** Status polls with {@code logs=1} return at most this many of the newest entries (default 20). */
        public Builder logWindowLines(int lines) {
            this.logWindowLines = atLeastZero(lines, "lines");
            return this;
        }

        /**
         * Sends the SSE comment {@code : ping} this often on event streams, as fal does on its status stream (default
         * 15 s, fal's interval); {@code null} or zero sends none. Tests of a client's idle handling use milliseconds.
         */
        public Builder streamKeepAlive(@Nullable Duration every) {
            this.streamKeepAlive = every == null || every.isZero() ? null : nonNegative(every);
            return this;
        }

        /** POSTs signed webhook payloads to {@code fal_webhook} URLs on completion (default off). */
        public Builder deliverWebhooks(boolean deliver) {
            this.deliverWebhooks = deliver;
            return this;
        }

        /** Bound of the recorded calls and webhooks (default 10,000). */
        public Builder maxRecordedRequests(int max) {
            this.maxRecordedRequests = atLeastOne(max, "max");
            return this;
        }

        /**
         * Bound of the recorded calls' total size (bodies, headers, paths; default 64 MB): the oldest calls are
         * forgotten first. The newest call is always kept.
         */
        public Builder maxRecordedBytes(long maxBytes) {
            this.maxRecordedBytes = atLeastOne(maxBytes, "maxBytes");
            return this;
        }

        /** Completed requests kept for status/result calls; older ones answer 404 (default 10,000). */
        public Builder maxRetainedRequests(int max) {
            this.maxRetainedRequests = atLeastOne(max, "max");
            return this;
        }

        /**
         * Largest request body accepted (default 64 MB). A larger one is answered 413 {@code {"detail": ...}} as soon
         * as its declared length or the bytes received pass the limit, and the connection is closed.
         */
        public Builder maxBodySize(long bytes) {
            this.maxBodySize = atLeastOne(bytes, "bytes");
            return this;
        }

        /**
         * A realtime session that receives no input for this long sends fal's {@code TIMEOUT} error and closes with
         * 1000 (default 60 s; per endpoint: {@link EndpointScript#realtimeIdleTimeout}).
         */
        public Builder realtimeIdleTimeout(Duration idleTimeout) {
            this.realtimeIdleTimeout = positive(idleTimeout, "idleTimeout");
            return this;
        }

        /** Binds the server and returns the running emulator. */
        public FalEmulator start() {
            return new FalEmulator(new EmulatorConfig(host, port, pathPrefix, requiredKey, workers, processingTime,
                    queueTime, logLines, logWindow, logWindowLines, streamKeepAlive, deliverWebhooks,
                    maxRecordedRequests, maxRecordedBytes, maxRetainedRequests, maxBodySize, realtimeIdleTimeout));
        }
    }
}
