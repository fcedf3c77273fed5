package dev.falclient.storage;

import java.nio.file.Path;

/**
 * Uploads files to fal's storage (the CDN fal's models read their inputs from) and returns each file's public URL.
 * Blocking; the reactive twin is {@link AsyncFalStorage}. Large files go up in parts, in parallel, read from disk
 * part by part (a 2 GB file does not need 2 GB of heap).
 *
 * <pre>{@code
 * String url = fal.storage().upload(Path.of("cat.png"));
 * String temporary = fal.storage().upload(bytes, "image/jpeg", "photo.jpg", UploadOptions.DEFAULTS.withExpiresIn("1h"));
 * }</pre>
 *
 * <p>Failures are {@link FalUploadException}s naming the file (and the part, for a multipart upload).
 */
public interface FalStorage {

    /** Uploads bytes of the given MIME type (file name {@code upload.<subtype>}, e.g. {@code upload.png}); returns the public URL. */
    String upload(byte[] data, String contentType);

    /** Uploads bytes of the given MIME type under a file name; returns the public URL. */
    String upload(byte[] data, String contentType, String fileName);

    /** {@link #upload(byte[], String, String)} with a lifetime and access rules. */
    String upload(byte[] data, String contentType, String fileName, UploadOptions options);

    /** Uploads a file; its content type comes from its name ({@code application/octet-stream} if unknown). */
    String upload(Path file);

    /** {@link #upload(Path)} with a lifetime and access rules. */
    String upload(Path file, UploadOptions options);
}
