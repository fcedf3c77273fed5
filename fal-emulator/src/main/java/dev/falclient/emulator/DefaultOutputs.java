package dev.falclient.emulator;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The output of an endpoint without an output script (an image-model answer) and the placeholder PNGs its image URLs
 * point at ({@code cdnUrl()/files/<request id>.png}).
 */
final class DefaultOutputs {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Enough for every image a test looks at; older ones still render, only without their prompt. */
    private static final int REMEMBERED_CAPTIONS = 10_000;

    private final String filesUrl;
    private final PngRenderer renderer = new PngRenderer(256);
    private final Map<String, PngRenderer.Caption> captions =
            new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, PngRenderer.Caption> eldest) {
                    return size() > REMEMBERED_CAPTIONS;
                }
            };

    DefaultOutputs(String cdnUrl) {
        this.filesUrl = cdnUrl + "/files/";
    }

    /** The default output of one request; remembers its prompt for the picture. */
    JsonNode output(String requestId, JsonNode input, double seconds) {
        String prompt = input.path("prompt").isString() ? input.path("prompt").asString() : "";
        synchronized (captions) {
            captions.put(requestId, PngRenderer.Caption.of(prompt));
        }
        ObjectNode out = NODES.objectNode();
        out.putArray("images").addObject()
                .put("url", filesUrl + requestId + ".png")
                .put("width", PngRenderer.SIZE)
                .put("height", PngRenderer.SIZE)
                .put("content_type", "image/png");
        JsonNode seed = input.path("seed");
        out.put("seed", seed.isIntegralNumber() ? seed.asLong() : (requestId.hashCode() & 0x7fffffffL));
        out.put("prompt", prompt);
        // image-to-image: shows what the model was given, e.g. the URL of an uploaded file
        if (input.path("image_url").isString()) {
            out.put("input_image_url", input.path("image_url").asString());
        }
        out.putArray("has_nsfw_concepts").add(false);
        out.putObject("timings").put("inference", seconds);
        return out;
    }

    /** Serves {@code files/<name>}: any {@code .png} name renders, so images outlive the requests that made them. */
    Mono<Reply> file(String name) {
        if (!name.endsWith(".png") || name.contains("..")) {
            return Mono.just(new Reply.Body(404, Replies.JSON, Map.of(),
                    "{\"detail\":\"Not Found\"}".getBytes(StandardCharsets.UTF_8)));
        }
        String fileName = name.substring(name.lastIndexOf('/') + 1);
        String id = fileName.substring(0, fileName.length() - ".png".length());
        PngRenderer.Caption caption;
        synchronized (captions) {
            caption = captions.get(id);
        }
        // drawing takes milliseconds of CPU: off the event loop
        return Mono.fromCallable(() -> (Reply) new Reply.Body(200, "image/png",
                        Map.of("Cache-Control", "public, max-age=3600"), renderer.render(fileName, caption)))
                .subscribeOn(Schedulers.boundedElastic());
    }
}
