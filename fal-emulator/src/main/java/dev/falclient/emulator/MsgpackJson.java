package dev.falclient.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.IntegerValue;
import org.msgpack.value.Value;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * msgpack to Jackson tree and back, for the realtime frames: the emulator's own small conversion, kept apart from the
 * client's codec so that the two check each other. {@code bin} is a {@code BinaryNode}; map keys become strings;
 * a timestamp extension becomes its ISO-8601 text, any other extension its bytes.
 */
final class MsgpackJson {

    /** A frame that is not one msgpack value. */
    static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private MsgpackJson() {
    }

    /** The one value a frame holds. */
    static JsonNode decode(byte[] bytes) {
        try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(bytes)) {
            if (!unpacker.hasNext()) {
                throw new Malformed("empty msgpack frame");
            }
            JsonNode node = toJson(unpacker.unpackValue());
            if (unpacker.hasNext()) {
                throw new Malformed("more than one msgpack value in the frame");
            }
            return node;
        } catch (IOException | RuntimeException e) {
            throw e instanceof Malformed m ? m : new Malformed("not msgpack: " + e.getMessage());
        }
    }

    static byte[] encode(JsonNode node) {
        try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
            pack(packer, node);
            return packer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode toJson(Value v) {
        return switch (v.getValueType()) {
            case NIL -> NODES.nullNode();
            case BOOLEAN -> NODES.booleanNode(v.asBooleanValue().getBoolean());
            case INTEGER -> integer(v.asIntegerValue());
            case FLOAT -> NODES.numberNode(v.asFloatValue().toDouble());
            case STRING -> NODES.stringNode(v.asStringValue().asString());
            case BINARY -> NODES.binaryNode(v.asBinaryValue().asByteArray());
            case ARRAY -> {
                ArrayNode a = NODES.arrayNode();
                v.asArrayValue().forEach(e -> a.add(toJson(e)));
                yield a;
            }
            case MAP -> {
                ObjectNode o = NODES.objectNode();
                for (Map.Entry<Value, Value> e : v.asMapValue().entrySet()) {
                    Value key = e.getKey();
                    o.set(key.isStringValue() ? key.asStringValue().asString() : key.toJson(), toJson(e.getValue()));
                }
                yield o;
            }
            case EXTENSION -> v.isTimestampValue()
                    ? NODES.stringNode(v.asTimestampValue().toInstant().toString())
                    : NODES.binaryNode(v.asExtensionValue().getData());
        };
    }

    private static JsonNode integer(IntegerValue i) {
        return i.isInLongRange() ? NODES.numberNode(i.toLong()) : NODES.numberNode(i.toBigInteger());
    }

    private static void pack(MessagePacker p, JsonNode n) throws IOException {
        if (n == null || n.isNull() || n.isMissingNode()) {
            p.packNil();
        } else if (n.isObject()) {
            p.packMapHeader(n.size());
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                p.packString(e.getKey());
                pack(p, e.getValue());
            }
        } else if (n.isArray()) {
            p.packArrayHeader(n.size());
            for (JsonNode e : n.values()) {
                pack(p, e);
            }
        } else if (n.isBinary()) {
            byte[] b = n.binaryValue();
            p.packBinaryHeader(b.length);
            p.writePayload(b);
        } else if (n.isString()) {
            p.packString(n.stringValue());
        } else if (n.isBoolean()) {
            p.packBoolean(n.booleanValue());
        } else if (n.isIntegralNumber()) {
            if (n.canConvertToLong()) {
                p.packLong(n.longValue());
            } else {
                p.packBigInteger(n.bigIntegerValue());
            }
        } else if (n.isNumber()) {
            p.packDouble(n.doubleValue());
        } else {
            p.packString(n.asString()); // a POJO node: its text, as JSON would show it
        }
    }
}
