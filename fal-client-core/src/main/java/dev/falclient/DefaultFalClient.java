package dev.falclient;

import dev.falclient.internal.storage.BlockingStorage;
import dev.falclient.realtime.FalRealtime;
import dev.falclient.storage.FalStorage;
import java.util.stream.Stream;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

/** The blocking face: every call blocks on the reactive implementation, whose every wait is bounded. */
final class DefaultFalClient implements FalClient {

    private final DefaultAsyncFalClient async;
    private final FalStorage storage;

    DefaultFalClient(DefaultAsyncFalClient async) {
        this.async = async;
        this.storage = new BlockingStorage(async.storage());
    }

    @Override
    public FalStorage storage() {
        return storage;
    }

    @Override
    public FalRealtime realtime() {
        return async.realtimeEngine();
    }

    @Override
    public SyncRequestHandle submit(String endpointId, Object arguments, SubmitOptions options) {
        return async.submit(endpointId, arguments, options).map(AsyncRequestHandle::blocking).block();
    }

    @Override
    public JsonNode run(String endpointId, Object arguments, RunOptions options) {
        return async.run(endpointId, arguments, options).block();
    }

    @Override
    public <T> T run(String endpointId, Object arguments, RunOptions options, Class<T> type) {
        return async.run(endpointId, arguments, options, type).block();
    }

    @Override
    public Stream<JsonNode> stream(String endpointId, Object arguments, StreamOptions options) {
        return blocking(async.stream(endpointId, arguments, options));
    }

    @Override
    public <T> Stream<T> stream(String endpointId, Object arguments, StreamOptions options, Class<T> type) {
        return blocking(async.stream(endpointId, arguments, options, type));
    }

    /**
     * The flux as a Java stream with a bounded prefetch; closing it cancels the flux, which closes the connection.
     * Signals travel as elements so that an error comes after the elements received before it (Reactor's own
     * {@code toStream()} throws it as soon as it arrives, dropping what is still buffered).
     */
    private static <T> Stream<T> blocking(Flux<T> flux) {
        return flux.materialize().toStream()
                .takeWhile(signal -> !signal.isOnComplete())
                .map(signal -> {
                    if (signal.isOnError()) {
                        throw Exceptions.propagate(signal.getThrowable());
                    }
                    return signal.get();
                });
    }

    @Override
    public JsonNode subscribe(String endpointId, Object arguments, SubscribeOptions options) {
        return async.subscribe(endpointId, arguments, options).block();
    }

    @Override
    public <T> T subscribe(String endpointId, Object arguments, SubscribeOptions options, Class<T> type) {
        return async.subscribe(endpointId, arguments, options, type).block();
    }

    @Override
    public SyncRequestHandle handle(String endpointId, String requestId) {
        return async.handle(endpointId, requestId).blocking();
    }

    @Override
    public SyncRequestHandle handle(FalRequest request) {
        return async.handle(request).blocking();
    }

    @Override
    public AsyncFalClient async() {
        return async;
    }

    @Override
    public String toString() {
        return "FalClient[" + async + "]";
    }
}
