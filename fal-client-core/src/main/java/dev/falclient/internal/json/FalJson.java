package dev.falclient.internal.json;

import dev.falclient.internal.ApiFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The client's own JSON mapper and everything done with it: arguments out, replies and outputs in. Application-wide
 * Jackson settings never reach fal payloads.
 */
public final class FalJson {

    private final JsonMapper mapper;
    private final ApiFactory api;

    public FalJson(JsonMapper mapper, ApiFactory api) {
        this.mapper = mapper;
        this.api = api;
    }

    /** A plain mapper that ignores unknown properties. */
    public static JsonMapper defaultMapper() {
        return JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    }

    public JsonMapper mapper() {
        return mapper;
    }

    /** The request body of a submit or run. */
    public byte[] arguments(Object arguments) {
        if (arguments == null) {
            throw new IllegalArgumentException("arguments must not be null; pass Map.of() for an empty input");
        }
        try {
            return mapper.writeValueAsBytes(arguments);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("arguments of type " + arguments.getClass().getName()
                    + " cannot be serialised to JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Parses a reply; throws {@link JacksonException} for malformed bytes (the caller knows the call). */
    public JsonNode read(byte[] bytes) {
        return bytes.length == 0 ? mapper.missingNode() : mapper.readTree(bytes);
    }

    /** Parses a reply; throws {@link JacksonException} for malformed text. */
    public JsonNode read(String text) {
        return mapper.readTree(text);
    }

    /** The body as a JSON object, or {@code null} when it is none (error bodies may be HTML). */
    public JsonNode readObjectOrNull(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode node = mapper.readTree(body);
            return node.isObject() ? node : null;
        } catch (JacksonException notJson) {
            return null;
        }
    }

    /** Maps an output onto a user type. */
    public <T> T convert(JsonNode node, Class<T> type, String requestId) {
        try {
            return mapper.treeToValue(node, type);
        } catch (JacksonException e) {
            throw api.response("fal's output cannot be mapped onto " + type.getName() + ": "
                    + e.getOriginalMessage(), requestId, e, false);
        }
    }

    /** A field as text: value nodes as their text, objects and arrays as JSON, absent or null as {@code null}. */
    public static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() || value.isMissingNode() ? null
                : value.isValueNode() ? value.asString() : value.toString();
    }
}
