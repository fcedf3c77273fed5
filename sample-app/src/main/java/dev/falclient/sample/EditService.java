package dev.falclient.sample;

import dev.falclient.AsyncFalClient;
import java.util.Map;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.codec.multipart.FilePart;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Uploads a user's image to fal's storage through the client ({@code fal.storage().upload(...)}), then runs the
 * image-to-image endpoint on its URL. Nothing blocks: the upload and the model call are one reactive chain.
 */
@Service
public class EditService {

    /** Largest image accepted; the bytes are held in memory once (a bigger file would be saved to disk first). */
    static final int MAX_IMAGE_BYTES = 10 * 1024 * 1024;

    private final AsyncFalClient fal;
    private final SampleProperties properties;
    private final ImageLinks images;

    public EditService(AsyncFalClient fal, SampleProperties properties, ImageLinks images) {
        this.fal = fal;
        this.properties = properties;
        this.images = images;
    }

    /**
     * What {@code POST /edits} answers: where the image went, and what the model made of it; {@code uploadedImage}
     * and {@code outputImage} serve both through this app's origin ({@link ImageLinks}).
     */
    public record Edited(String uploadedUrl, String endpointId, JsonNode output, String uploadedImage,
                         String outputImage) {
    }

    /** The browser's file name without any path (old browsers send one); {@code image} when there is none. */
    static String fileName(String name) {
        String base = name == null ? "" : name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1)
                .replaceAll("\\p{Cntrl}", "").strip();
        return base.isEmpty() ? "image" : base;
    }

    public Mono<Edited> edit(FilePart image, String prompt) {
        if (image == null) {
            return Mono.error(new GenerationErrors.InvalidGeneration("an 'image' file part is required"));
        }
        MediaType type = image.headers().getContentType();
        if (type == null || !"image".equals(type.getType())) {
            return Mono.error(new GenerationErrors.InvalidGeneration("'image' must be an image, was " + type));
        }
        String text = prompt == null || prompt.isBlank() ? "the same picture, as a watercolour" : prompt.strip();
        if (text.length() > GenerationService.MAX_PROMPT_LENGTH) {
            return Mono.error(new GenerationErrors.InvalidGeneration("'prompt' must be at most "
                    + GenerationService.MAX_PROMPT_LENGTH + " characters"));
        }
        return DataBufferUtils.join(image.content(), MAX_IMAGE_BYTES)
                .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    return bytes;
                })
                .onErrorMap(DataBufferLimitException.class, e -> new GenerationErrors.InvalidGeneration(
                        "'image' must be at most " + MAX_IMAGE_BYTES / (1024 * 1024) + " MB"))
                .flatMap(bytes -> fal.storage().upload(bytes, type.toString(), fileName(image.filename())))
                .flatMap(url -> fal.run(properties.editEndpointId(), Map.of("image_url", url, "prompt", text))
                        .map(output -> new Edited(url, properties.editEndpointId(), output, images.link(url),
                                images.link(GenerationEventStore.firstImageUrl(output)))));
    }
}
