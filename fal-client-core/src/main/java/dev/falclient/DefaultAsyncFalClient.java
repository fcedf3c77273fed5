package dev.falclient;

import dev.falclient.internal.ClientConfig;
import dev.falclient.internal.http.FalTransport;
import dev.falclient.internal.json.FalJson;
import dev.falclient.internal.observe.RequestObserver;
import dev.falclient.internal.queue.QueueClient;
import dev.falclient.internal.queue.WaitSpec;
import dev.falclient.internal.realtime.RealtimeClient;
import dev.falclient.internal.stream.RunStreamer;
import dev.falclient.internal.storage.AutoUpload;
import dev.falclient.internal.storage.StorageClient;
import dev.falclient.realtime.AsyncFalRealtime;
import dev.falclient.storage.AsyncFalStorage;
import java.util.List;
import java.util.Objects;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The one implementation behind both client faces: checks arguments, then hands each call to the engine. */
final class DefaultAsyncFalClient implements AsyncFalClient {

    private final ClientConfig config;
    private final FalJson json;
    private final FalTransport transport;
    private final QueueClient queue;
    private final RunStreamer streamer;
    private final StorageClient storage;
    private final AutoUpload uploads;
    private final RealtimeClient realtime;
    private final DefaultFalClient blocking;
    private final RequestObserver observer;

    DefaultAsyncFalClient(ClientConfig config) {
        this.config = config;
        this.json = new FalJson(config.mapper(), config.api());
        this.transport = new FalTransport(config, json);
        this.observer = new RequestObserver(config.listeners(), config.listenerExecutor(),
                config.tracking().maxObservedRequests(), config.observationRegistry(), config.observationConvention());
        this.queue = new QueueClient(config, transport, json, observer);
        this.streamer = new RunStreamer(config, transport, json);
        this.storage = new StorageClient(config, transport, json);
        this.uploads = new AutoUpload(storage, json);
        this.realtime = new RealtimeClient(config, transport, json);
        this.blocking = new DefaultFalClient(this);
    }

    @Override
    public Mono<AsyncRequestHandle> submit(String endpointId, Object arguments, SubmitOptions options) {
        Objects.requireNonNull(options, "options");
        return uploads.withBody(arguments, body -> queue.submit(endpointId, body, options.common(), options.track())
                .map(this::handle));
    }

    @Override
    public Mono<JsonNode> run(String endpointId, Object arguments, RunOptions options) {
        Objects.requireNonNull(options, "options");
        return uploads.withBody(arguments, body -> queue.run(endpointId, body, options.common(), options.timeout(),
                options.onRequestId()));
    }

    @Override
    public <T> Mono<T> run(String endpointId, Object arguments, RunOptions options, Class<T> type) {
        Objects.requireNonNull(type, "type");
        return run(endpointId, arguments, options).map(node -> json.convert(node, type, null));
    }

    @Override
    public Flux<JsonNode> stream(String endpointId, Object arguments, StreamOptions options) {
        Objects.requireNonNull(options, "options");
        return uploads.withBodyMany(arguments, body -> streamer.stream(endpointId, body, options.common(),
                options.timeout(), options.idleTimeout(), options.onRequestId()));
    }

    @Override
    public <T> Flux<T> stream(String endpointId, Object arguments, StreamOptions options, Class<T> type) {
        Objects.requireNonNull(type, "type");
        return stream(endpointId, arguments, options).map(node -> json.convert(node, type, null));
    }

    @Override
    public Mono<JsonNode> subscribe(String endpointId, Object arguments, SubscribeOptions options) {
        Objects.requireNonNull(options, "options");
        WaitSpec wait = new WaitSpec(options.withLogs(), options.mode(), options.pollInterval(), options.onEnqueue(),
                options.onQueueUpdate(), options.clientTimeout());
        return uploads.withBody(arguments, body -> queue.subscribe(endpointId, body, options.common(), wait));
    }

    @Override
    public <T> Mono<T> subscribe(String endpointId, Object arguments, SubscribeOptions options, Class<T> type) {
        Objects.requireNonNull(type, "type");
        return subscribe(endpointId, arguments, options).map(node -> json.convert(node, type, null));
    }

    @Override
    public AsyncRequestHandle handle(String endpointId, String requestId) {
        return handle(new FalRequest(endpointId, requestId));
    }

    @Override
    public AsyncRequestHandle handle(FalRequest request) {
        Objects.requireNonNull(request, "request");
        return new AsyncRequestHandle(queue.resolve(request), queue, json);
    }

    @Override
    public AsyncFalStorage storage() {
        return storage;
    }

    @Override
    public AsyncFalRealtime realtime() {
        return realtime;
    }

    /** The same engine behind the blocking face. */
    RealtimeClient realtimeEngine() {
        return realtime;
    }

    @Override
    public FalClient blocking() {
        return blocking;
    }

    @Override
    public FalClientStats stats() {
        return transport.stats();
    }

    @Override
    public List<InFlightRequest> inFlight() {
        return queue.inFlight();
    }

    @Override
    public JsonMapper jsonMapper() {
        return json.mapper();
    }

    @Override
    public void close() {
        // the transport first: its close signal ends every open wait with an error naming the request
        transport.close();
        queue.close();
        // after the waits ended: what is still observed is given up
        observer.close();
    }

    @Override
    public String toString() {
        return "AsyncFalClient[queueUrl=" + config.urls().queueUrl() + ", runUrl=" + config.urls().runUrl() + "]";
    }
}
