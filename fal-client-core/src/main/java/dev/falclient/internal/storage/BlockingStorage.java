package dev.falclient.internal.storage;

import dev.falclient.storage.AsyncFalStorage;
import dev.falclient.storage.FalStorage;
import dev.falclient.storage.UploadOptions;
import java.nio.file.Path;

/** The blocking storage face: every call blocks on the reactive one, whose every wait is bounded. */
public final class BlockingStorage implements FalStorage {

    private final AsyncFalStorage async;

    public BlockingStorage(AsyncFalStorage async) {
        this.async = async;
    }

    @Override
    public String upload(byte[] data, String contentType) {
        return async.upload(data, contentType).block();
    }

    @Override
    public String upload(byte[] data, String contentType, String fileName) {
        return async.upload(data, contentType, fileName).block();
    }

    @Override
    public String upload(byte[] data, String contentType, String fileName, UploadOptions options) {
        return async.upload(data, contentType, fileName, options).block();
    }

    @Override
    public String upload(Path file) {
        return async.upload(file).block();
    }

    @Override
    public String upload(Path file, UploadOptions options) {
        return async.upload(file, options).block();
    }
}
