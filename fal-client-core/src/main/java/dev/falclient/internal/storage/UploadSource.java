package dev.falclient.internal.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.springframework.core.io.Resource;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import reactor.core.publisher.Flux;

/**
 * The bytes of an upload. A region is read only when its body is subscribed (once per attempt), in small buffers
 * that are written out as they come: a file is never held in memory whole.
 */
sealed interface UploadSource {

    /**
     * Size of the buffers a file is read in. Reactor Netty prefetches up to 128 of them per connection, so this bounds
     * the memory of one part in flight (2 MB), whatever the part size.
     */
    int BUFFER_SIZE = 16 * 1024;

    long size();

    /** The bytes from {@code offset}, {@code length} of them, read lazily. */
    Flux<DataBuffer> read(long offset, long length);

    /** Bytes already in memory; regions are views, not copies. */
    record Bytes(byte[] data) implements UploadSource {
        @Override
        public long size() {
            return data.length;
        }

        @Override
        public Flux<DataBuffer> read(long offset, long length) {
            return Flux.defer(() -> Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(
                    ByteBuffer.wrap(data, Math.toIntExact(offset), Math.toIntExact(length)).slice())));
        }
    }

    /** A file on disk, read through its own channel per region (closed when the region ends or is cancelled). */
    record File(Path path, long size) implements UploadSource {

        /** The file, checked to be a readable regular file. */
        static File of(Path path) {
            if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                throw new IllegalArgumentException("cannot upload " + path + ": no readable file there");
            }
            try {
                return new File(path, Files.size(path));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot upload " + path + ": " + e.getMessage(), e);
            }
        }

        @Override
        public Flux<DataBuffer> read(long offset, long length) {
            return DataBufferUtils.takeUntilByteCount(DataBufferUtils.readAsynchronousFileChannel(
                    () -> AsynchronousFileChannel.open(path, StandardOpenOption.READ), offset,
                    DefaultDataBufferFactory.sharedInstance, BUFFER_SIZE), length);
        }
    }

    /** A Spring resource that is not a file (classpath, bytes, URL): re-opened per region. */
    record ResourceSource(Resource resource, long size) implements UploadSource {
        @Override
        public Flux<DataBuffer> read(long offset, long length) {
            return DataBufferUtils.takeUntilByteCount(DataBufferUtils.read(resource, offset,
                    DefaultDataBufferFactory.sharedInstance, BUFFER_SIZE), length);
        }
    }
}
