package dev.falclient.sample;

import java.net.URI;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Serves generated images through the sample's own origin: each image URL that fal returned gets an unguessable
 * {@code /images/{token}} path, which {@link ImageController} fetches and relays. Only URLs that fal gave the app
 * are ever fetched (no open proxy), and the browser never needs to reach fal's CDN or the emulator's port (which a
 * forwarded port or the page's {@code img-src 'self'} policy would break). At most {@value #MAX_LINKS} links are kept,
 * the oldest forgotten first.
 */
@Component
public class ImageLinks {

    /** Links kept at once. */
    static final int MAX_LINKS = 5_000;
    /** Where the links are served. */
    static final String PREFIX = "/images/";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, URI> byToken = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, URI> eldest) {
            return size() > MAX_LINKS;
        }
    };
    private final Map<String, String> byUrl = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_LINKS;
        }
    };

    /** The app-relative path serving {@code url}, or {@code null} for none or a URL that is not http(s). */
    public synchronized String link(String url) {
        if (url == null) {
            return null;
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            return null;
        }
        String token = byUrl.get(url);
        if (token == null || !byToken.containsKey(token)) {
            byte[] bytes = new byte[24];
            RANDOM.nextBytes(bytes);
            token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            byToken.put(token, uri);
            byUrl.put(url, token);
        }
        return PREFIX + token;
    }

    /** The URL behind a token. */
    public synchronized Optional<URI> target(String token) {
        return Optional.ofNullable(byToken.get(token));
    }

    /** A copy of a model output whose {@code images[].url} are replaced by their links. */
    public JsonNode linked(JsonNode output) {
        if (output == null || !output.path("images").isArray()) {
            return output;
        }
        ObjectNode copy = ((ObjectNode) output).deepCopy();
        for (JsonNode image : (ArrayNode) copy.get("images")) {
            if (image instanceof ObjectNode o && o.path("url").isString()) {
                String link = link(o.get("url").asString());
                if (link != null) {
                    o.put("url", link);
                }
            }
        }
        return copy;
    }
}
