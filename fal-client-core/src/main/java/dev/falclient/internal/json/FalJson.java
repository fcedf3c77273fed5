package dev.falclient.internal.json;

import dev.falclient.internal.ApiFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The client's own JSON mapper and everything done with it: arguments out, replies and outputs in. Application-wide
 * Jackson settings never reach fal payloads.
 */
public final class FalJson {

    private final JsonMapper mapper;
    /** The mapper with {@link ArgumentRules}; derived, so that replies are read exactly as the mapper says. */
    private final JsonMapper argumentMapper;
    private final ApiFactory api;

    public FalJson(JsonMapper mapper, ApiFactory api) {
        this.mapper = mapper;
        this.argumentMapper = ArgumentRules.writerFor(mapper);
        this.api = api;
    }

    /** A plain mapper that ignores unknown properties. */
    public static JsonMapper defaultMapper() {
        return JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    }

    public JsonMapper mapper() {
        return mapper;
    }

    /**
     * The request body of a submit or run: a JSON object. Refuses, before anything is sent, arguments that are no
     * JSON object, values whose data would be lost (streams, files, byte arrays, objects without properties) and
     * anything else the mapper cannot write.
     *
     * @throws IllegalArgumentException naming the problem and where in the arguments it sits
     */
    public byte[] arguments(Object arguments) {
        return arguments(arguments, null);
    }

    /**
     * {@link #arguments(Object)}, except that files ({@code Path}, {@code File}, Spring {@code Resource}) are
     * collected into {@code slots} and written as placeholders for {@link FileSlots#fill}; with {@code null} slots
     * they are refused.
     */
    public byte[] arguments(Object arguments, FileSlots slots) {
        if (arguments == null) {
            throw new IllegalArgumentException("arguments must not be null; pass Map.of() for an empty input");
        }
        byte[] body;
        try {
            body = slots == null ? argumentMapper.writeValueAsBytes(arguments)
                    : argumentMapper.writer().withAttribute(ArgumentRules.SLOTS, slots).writeValueAsBytes(arguments);
        } catch (ArgumentRules.Refused e) {
            String at = ArgumentRules.location(e);
            throw new IllegalArgumentException(Excerpt.message("arguments of type " + arguments.getClass().getTypeName()
                    + (at.isEmpty() ? "" : " contain a " + e.valueType() + " at '" + at + "', which")
                    + " cannot be sent: " + e.getOriginalMessage()));
        } catch (StreamConstraintsException e) {
            // its path lists every level of the nesting: thousands of characters that say nothing more
            throw new IllegalArgumentException(Excerpt.message("arguments of type " + arguments.getClass().getTypeName()
                    + " cannot be serialised to JSON: " + e.getOriginalMessage()
                    + " (does a value contain itself?)"));
        } catch (JacksonException e) {
            throw new IllegalArgumentException(Excerpt.message("arguments of type " + arguments.getClass().getTypeName()
                    + " cannot be serialised to JSON: " + e.getOriginalMessage()), e);
        }
        if (first(body) != '{') {
            throw new IllegalArgumentException(Excerpt.message("fal expects a JSON object as arguments (a Map, "
                    + "record, POJO or ObjectNode), but " + arguments.getClass().getTypeName() + " is written as "
                    + kind(body)));
        }
        return body;
    }

    /** The first byte that is not whitespace (an application's pretty printer may lead with some); 0 if none. */
    private static byte first(byte[] json) {
        for (byte b : json) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return b;
            }
        }
        return 0;
    }

    private static String kind(byte[] json) {
        return switch (first(json)) {
            case 0 -> "nothing";
            case '[' -> "a JSON array";
            case '"' -> "a JSON string";
            case 't', 'f' -> "a JSON boolean";
            case 'n' -> "JSON null";
            default -> "a JSON number";
        };
    }

    /** Writes a JSON tree (arguments whose placeholders were filled) as a request body. */
    public byte[] write(JsonNode tree) {
        return mapper.writeValueAsBytes(tree);
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
    public @Nullable JsonNode readObjectOrNull(@Nullable String body) {
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
    public <T> T convert(JsonNode node, Class<T> type, @Nullable String requestId) {
        try {
            return mapper.treeToValue(node, type);
        } catch (JacksonException e) {
            throw api.response(Excerpt.message("fal's output cannot be mapped onto " + type.getName() + ": "
                    + e.getOriginalMessage()), requestId, e, false);
        }
    }

    /** A field as text: value nodes as their text, objects and arrays as JSON, absent or null as {@code null}. */
    public static @Nullable String text(@Nullable JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() || value.isMissingNode() ? null
                : value.isValueNode() ? value.asString() : value.toString();
    }
}
