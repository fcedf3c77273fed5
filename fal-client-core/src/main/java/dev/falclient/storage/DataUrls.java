package dev.falclient.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Objects;
import org.springframework.http.MediaType;
import org.springframework.http.MediaTypeFactory;

/**
 * Inline inputs: {@code data:<type>;base64,<standard base64>}. Most fal models accept a data URL wherever they take
 * a file URL; it saves the upload for small files but travels inside every request.
 *
 * <pre>{@code Map.of("image_url", DataUrls.encode(Path.of("mask.png")))}</pre>
 */
public final class DataUrls {

    private DataUrls() {
    }

    /** The bytes as a data URL of the given MIME type. */
    public static String encode(byte[] data, String contentType) {
        Objects.requireNonNull(data, "data");
        if (contentType == null || contentType.isBlank()) {
            throw new IllegalArgumentException("contentType must not be blank, e.g. image/png");
        }
        return "data:" + contentType.trim() + ";base64," + Base64.getEncoder().encodeToString(data);
    }

    /** The file as a data URL; the type comes from its name ({@code application/octet-stream} when unknown). */
    public static String encode(Path file) {
        Objects.requireNonNull(file, "file");
        try {
            return encode(Files.readAllBytes(file), contentType(file));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + " for a data URL: " + e.getMessage(), e);
        }
    }

    /** The MIME type of a file name, {@code application/octet-stream} when unknown. */
    static String contentType(Path file) {
        Path name = file.getFileName();
        return name == null ? MediaType.APPLICATION_OCTET_STREAM_VALUE
                : MediaTypeFactory.getMediaType(name.toString()).orElse(MediaType.APPLICATION_OCTET_STREAM).toString();
    }
}
