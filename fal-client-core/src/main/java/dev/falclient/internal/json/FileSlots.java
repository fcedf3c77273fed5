package dev.falclient.internal.json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The files found while the arguments are written (a {@code Path}, {@code File} or Spring {@code Resource}), each
 * written as a placeholder string until its upload returns a URL. Equal paths and files share one slot, so a file
 * named twice is uploaded once. One instance per call; the placeholders carry a random nonce, so no string of the arguments can
 * be mistaken for one.
 */
public final class FileSlots {

    private final String prefix = "\u0000fal-upload:" + UUID.randomUUID() + ":";
    private final Map<Object, Integer> indexes = new LinkedHashMap<>();
    private final List<Object> files = new ArrayList<>();
    private final Function<Object, Object> prepare;

    /**
     * @param prepare checks a found value and turns it into what the uploader needs; it throws
     *                {@link IllegalArgumentException} for a value that cannot be uploaded (e.g. a missing file)
     */
    public FileSlots(Function<Object, Object> prepare) {
        this.prepare = prepare;
    }

    /** The placeholder written in place of {@code value}. */
    String placeholder(Object value) {
        Object key = key(value);
        Integer index = indexes.get(key);
        if (index == null) {
            files.add(prepare.apply(value));
            index = files.size() - 1;
            indexes.put(key, index);
        }
        return prefix + index;
    }

    /** Paths and files are the same file when equal; other values (resources) only when identical. */
    private static Object key(Object value) {
        return value instanceof java.nio.file.Path || value instanceof java.io.File ? value : new Identity(value);
    }

    private record Identity(Object value) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Identity i && i.value == value;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(value);
        }
    }

    /** The prepared files, in the order first met. */
    public List<Object> files() {
        return List.copyOf(files);
    }

    /** Replaces every placeholder in {@code tree} by the URL at its index; returns the tree. */
    public JsonNode fill(JsonNode tree, List<String> urls) {
        if (tree instanceof ObjectNode object) {
            for (String name : List.copyOf(object.propertyNames())) {
                JsonNode value = object.get(name);
                JsonNode filled = url(value, urls);
                object.set(name, filled != null ? filled : fill(value, urls));
            }
        } else if (tree instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode filled = url(array.get(i), urls);
                array.set(i, filled != null ? filled : fill(array.get(i), urls));
            }
        }
        return tree;
    }

    private JsonNode url(JsonNode node, List<String> urls) {
        if (node.isString() && node.asString().startsWith(prefix)) {
            return JsonNodeFactory.instance.stringNode(urls.get(Integer.parseInt(
                    node.asString().substring(prefix.length()))));
        }
        return null;
    }
}
