package dev.falclient.sample;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The realtime page's messages, both ways, as JSON text.
 *
 * <pre>
 * browser -&gt; app   {"prompt": "a red fox"}
 * app -&gt; browser   {"type": "ready", "endpointId": "fal-ai/fast-lcm-diffusion"}
 *                  {"type": "output", "prompt": "a red fox", "latencyMs": 84, "output": {"images": [{"url": "/images/…"}], …}}
 *                  {"type": "error", "code": "busy", "message": "…"}   (then the app closes the socket)
 * </pre>
 *
 * Outputs reach the browser with their images on the app's own origin ({@link ImageLinks}, as the other pages do: the
 * CSP allows no other image host), image bytes as {@code data:} URLs, and any other binary value left out.
 */
@Component
public class RealtimeMessages {

    /** Longest prompt taken, as on the other pages. */
    static final int MAX_PROMPT = 2_000;

    private final JsonMapper json;
    private final ImageLinks links;

    public RealtimeMessages(JsonMapper json, ImageLinks links) {
        this.json = json;
        this.links = links;
    }

    /** A message the browser sent that the app does not take; its text is the app's own, safe to send back. */
    static final class BadMessage extends RuntimeException {
        BadMessage(String message) {
            super(message, null, false, false);
        }
    }

    /** The prompt of a browser message. */
    String prompt(String message) {
        JsonNode node;
        try {
            node = json.readTree(message);
        } catch (JacksonException e) {
            throw new BadMessage("Send JSON text such as {\"prompt\": \"a red fox\"}");
        }
        JsonNode prompt = node.path("prompt");
        if (!prompt.isString()) {
            throw new BadMessage("The message needs a \"prompt\" string, e.g. {\"prompt\": \"a red fox\"}");
        }
        if (prompt.stringValue().length() > MAX_PROMPT) {
            throw new BadMessage("The prompt may have at most " + MAX_PROMPT + " characters");
        }
        return prompt.stringValue();
    }

    String ready(String endpointId) {
        return json.writeValueAsString(json.createObjectNode().put("type", "ready").put("endpointId", endpointId));
    }

    /**
     * An output for the browser.
     *
     * @param prompt    the prompt it answers, when known
     * @param latencyMs milliseconds since that prompt arrived, or -1 when unknown
     */
    String output(JsonNode output, @Nullable String prompt, long latencyMs) {
        ObjectNode message = json.createObjectNode().put("type", "output");
        if (prompt != null) {
            message.put("prompt", prompt);
        }
        if (latencyMs >= 0) {
            message.put("latencyMs", latencyMs);
        }
        message.set("output", forBrowser(output));
        return json.writeValueAsString(message);
    }

    String error(String code, String text) {
        return json.writeValueAsString(json.createObjectNode().put("type", "error").put("code", code)
                .put("message", text));
    }

    /** A copy of the output with its images on the app's origin and no other binary values. */
    private JsonNode forBrowser(JsonNode output) {
        ObjectNode copy = output instanceof ObjectNode o ? o.deepCopy() : json.createObjectNode().set("value", output);
        List<ObjectNode> images = new ArrayList<>();
        if (copy.path("images") instanceof ArrayNode array) {
            array.forEach(image -> {
                if (image instanceof ObjectNode o) {
                    images.add(o);
                }
            });
        }
        if (copy.path("image") instanceof ObjectNode single) {
            images.add(single);
        }
        images.forEach(this::linkImage);
        dropBinary(copy);
        return copy;
    }

    /**
     * {@code url} becomes a link through {@code /images/…}, or stays when it is an image {@code data:} URL; image bytes
     * in {@code content} (fal's realtime apps may send them, msgpack binary) become a {@code data:} URL.
     */
    private void linkImage(ObjectNode image) {
        JsonNode content = image.path("content");
        if (content.isBinary()) {
            String type = image.path("content_type").asString("image/jpeg").toLowerCase(Locale.ROOT);
            image.remove("content");
            if (type.matches("image/[a-z0-9.+-]+")) {
                image.put("url", "data:" + type + ";base64," + Base64.getEncoder().encodeToString(content.binaryValue()));
            }
            return;
        }
        String url = image.path("url").isString() ? image.path("url").stringValue() : null;
        String link = url == null ? null : url.startsWith("data:image/") ? url : links.link(url);
        if (link != null) {
            image.put("url", link);
        } else {
            image.remove("url");
        }
    }

    private static void dropBinary(JsonNode node) {
        if (node instanceof ObjectNode object) {
            Map<String, JsonNode> fields = new LinkedHashMap<>();
            object.properties().forEach(e -> fields.put(e.getKey(), e.getValue()));
            fields.forEach((name, value) -> {
                if (value.isBinary()) {
                    object.remove(name);
                } else {
                    dropBinary(value);
                }
            });
        } else if (node instanceof ArrayNode array) {
            for (int i = array.size() - 1; i >= 0; i--) {
                if (array.get(i).isBinary()) {
                    array.remove(i);
                } else {
                    dropBinary(array.get(i));
                }
            }
        }
    }
}
