package dev.falclient.storage;

import java.nio.file.Path;
import reactor.core.publisher.Mono;

/**
 * Reactive uploads to fal's storage: each method returns a cold {@link Mono} of the file's public URL that uploads
 * when subscribed, and never blocks a thread. Files are read part by part as the parts are sent.
 *
 * <pre>{@code
 * fal.storage().upload(Path.of("cat.png"))
 *    .flatMap(url -> fal.subscribe("fal-ai/flux/dev/image-to-image", Map.of("image_url", url, "prompt", "a tiger")));
 * }</pre>
 *
 * <p>Failures are {@link FalUploadException}s naming the file (and the part, for a multipart upload).
 */
public interface AsyncFalStorage {

    /** Uploads bytes of the given MIME type (file name {@code upload.<subtype>}, e.g. {@code upload.png}). */
    Mono<String> upload(byte[] data, String contentType);

    /** Uploads bytes of the given MIME type under a file name. */
    Mono<String> upload(byte[] data, String contentType, String fileName);

    /** {@link #upload(byte[], String, String)} with a lifetime and access rules. */
    Mono<String> upload(byte[] data, String contentType, String fileName, UploadOptions options);

    /** Uploads a file; its content type comes from its name ({@code application/octet-stream} if unknown). */
    Mono<String> upload(Path file);

    /** {@link #upload(Path)} with a lifetime and access rules. */
    Mono<String> upload(Path file, UploadOptions options);
}
