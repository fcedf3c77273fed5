package dev.falclient.internal.storage;

import dev.falclient.internal.ClientConfig;
import dev.falclient.internal.http.FalTransport;
import dev.falclient.internal.json.FalJson;
import dev.falclient.settings.StorageSettings;
import dev.falclient.storage.AsyncFalStorage;
import dev.falclient.storage.UploadOptions;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import org.springframework.core.io.InputStreamResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.MediaTypeFactory;
import reactor.core.publisher.Mono;

/** The reactive storage face of a client: checks arguments eagerly, uploads when subscribed. */
public final class StorageClient implements AsyncFalStorage {

    private final StorageSettings settings;
    private final Uploader uploader;

    public StorageClient(ClientConfig config, FalTransport transport, FalJson json) {
        this.settings = config.storage();
        this.uploader = new Uploader(transport, json, settings, config.urls().restUrl(), config.urls().cdnUrl(),
                Clock.systemUTC());
    }

    @Override
    public Mono<String> upload(byte[] data, String contentType) {
        return upload(data, contentType, null, UploadOptions.DEFAULTS);
    }

    @Override
    public Mono<String> upload(byte[] data, String contentType, String fileName) {
        Objects.requireNonNull(fileName, "fileName");
        return upload(data, contentType, fileName, UploadOptions.DEFAULTS);
    }

    @Override
    public Mono<String> upload(byte[] data, String contentType, String fileName, UploadOptions options) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(options, "options");
        String type = contentType(contentType);
        String name = fileName == null ? "upload." + extension(type) : fileName(fileName);
        return uploader.upload(new UploadRequest(new UploadSource.Bytes(data), name, type,
                Lifecycle.headers(options, settings)));
    }

    @Override
    public Mono<String> upload(Path file) {
        return upload(file, UploadOptions.DEFAULTS);
    }

    @Override
    public Mono<String> upload(Path file, UploadOptions options) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(options, "options");
        return uploader.upload(request(file, options));
    }

    /** Uploads a file prepared by {@link #prepare(Object)}. */
    Mono<String> upload(UploadRequest request) {
        return uploader.upload(request);
    }

    StorageSettings settings() {
        return settings;
    }

    /**
     * A file found in call arguments ({@code Path}, {@code File}, Spring {@code Resource}) as an upload with the
     * client's default lifecycle.
     *
     * @throws IllegalArgumentException when it cannot be uploaded
     */
    UploadRequest prepare(Object value) {
        if (value instanceof Path path) {
            return request(path, UploadOptions.DEFAULTS);
        }
        if (value instanceof File file) {
            return request(file.toPath(), UploadOptions.DEFAULTS);
        }
        if (value instanceof Resource resource) {
            return request(resource);
        }
        throw new IllegalArgumentException("cannot upload a " + value.getClass().getName());
    }

    private UploadRequest request(Path file, UploadOptions options) {
        Path name = file.getFileName();
        String fileName = name == null ? "upload.bin" : name.toString();
        String type = MediaTypeFactory.getMediaType(fileName).orElse(MediaType.APPLICATION_OCTET_STREAM).toString();
        return new UploadRequest(UploadSource.File.of(file), fileName, type, Lifecycle.headers(options, settings));
    }

    private UploadRequest request(Resource resource) {
        if (resource instanceof InputStreamResource) {
            throw new IllegalArgumentException("an InputStreamResource can be read only once, and its size is unknown: "
                    + "write it to a file, or use a ByteArrayResource");
        }
        try {
            if (resource.isFile()) {
                return request(resource.getFile().toPath(), UploadOptions.DEFAULTS);
            }
            if (!resource.exists()) {
                throw new IllegalArgumentException("cannot upload " + resource.getDescription() + ": it does not exist");
            }
            String fileName = resource.getFilename() == null || resource.getFilename().isBlank() ? "upload.bin"
                    : resource.getFilename();
            String type = MediaTypeFactory.getMediaType(fileName).orElse(MediaType.APPLICATION_OCTET_STREAM).toString();
            return new UploadRequest(new UploadSource.ResourceSource(resource, resource.contentLength()), fileName,
                    type, Lifecycle.headers(UploadOptions.DEFAULTS, settings));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot upload " + resource.getDescription() + ": " + e.getMessage(), e);
        }
    }

    private static String contentType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            throw new IllegalArgumentException("contentType must not be blank, e.g. image/png");
        }
        // throws InvalidMediaTypeException, an IllegalArgumentException naming the problem
        return MediaType.parseMediaType(contentType.trim()).toString();
    }

    private static String fileName(String fileName) {
        if (fileName.isBlank() || fileName.contains("/") || fileName.contains("\\")
                || fileName.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("fileName must be a plain file name without slashes or control "
                    + "characters, was '" + fileName + "'");
        }
        return fileName;
    }

    /** {@code image/png} gives {@code png}, {@code image/svg+xml} gives {@code svg}, an unknown type {@code bin}. */
    private static String extension(String contentType) {
        MediaType type = MediaType.parseMediaType(contentType);
        String subtype = type.getSubtype().toLowerCase(Locale.ROOT);
        int plus = subtype.indexOf('+');
        String ext = plus > 0 ? subtype.substring(0, plus) : subtype;
        return ext.equals("octet-stream") || ext.equals("*") || !ext.matches("[a-z0-9.-]{1,16}") ? "bin" : ext;
    }
}
