package dev.falclient;

import dev.falclient.internal.storage.BlockingStorage;
import dev.falclient.storage.FalStorage;
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
