package dev.falclient.internal.realtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Jackson trees to and from msgpack, the encoding of fal's realtime frames. msgpack-core reads and writes the bytes;
 * this class only maps value types, because no maintained msgpack data format exists for Jackson 3. Binary values
 * (images in realtime outputs) become {@code BinaryNode}s and back.
 */
final class Msgpack {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Msgpack() {
    }

    static byte[] encode(JsonNode node) {
        try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
            pack(node, packer);
            return packer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @throws IllegalArgumentException if the bytes are not one complete msgpack value */
    static JsonNode decode(byte[] bytes) {
        try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(bytes)) {
            JsonNode node = unpack(unpacker);
            if (unpacker.hasNext()) {
                throw new IllegalArgumentException("trailing bytes after a msgpack value");
            }
            return node;
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalArgumentException("not a msgpack value: " + e.getMessage(), e);
        }
    }

    private static void pack(JsonNode node, MessagePacker packer) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT -> {
                packer.packMapHeader(node.size());
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    packer.packString(field.getKey());
                    pack(field.getValue(), packer);
                }
            }
            case ARRAY -> {
                packer.packArrayHeader(node.size());
                for (JsonNode element : node) {
                    pack(element, packer);
                }
            }
            case STRING -> packer.packString(node.stringValue());
            case BINARY -> {
                byte[] bytes = node.binaryValue();
                packer.packBinaryHeader(bytes.length);
                packer.writePayload(bytes);
            }
            case BOOLEAN -> packer.packBoolean(node.booleanValue());
            case NUMBER -> packNumber(node, packer);
            case NULL, MISSING -> packer.packNil();
            case POJO -> throw new IllegalArgumentException("cannot encode " + node.getClass().getSimpleName()
                    + " as msgpack: convert inputs with the client's JSON mapper first");
        }
    }

    private static void packNumber(JsonNode node, MessagePacker packer) throws IOException {
        if (node.isIntegralNumber()) {
            if (node.canConvertToLong()) {
                packer.packLong(node.longValue());
            } else {
                packer.packBigInteger(node.bigIntegerValue());
            }
        } else if (node.isFloat()) {
            packer.packFloat(node.floatValue());
        } else {
            packer.packDouble(node.doubleValue());
        }
    }

    private static JsonNode unpack(MessageUnpacker unpacker) throws IOException {
        MessageFormat format = unpacker.getNextFormat();
        ValueType type = format.getValueType();
        return switch (type) {
            case NIL -> {
                unpacker.unpackNil();
                yield NODES.nullNode();
            }
            case BOOLEAN -> NODES.booleanNode(unpacker.unpackBoolean());
            case INTEGER -> format == MessageFormat.UINT64
                    ? NODES.numberNode(unpacker.unpackBigInteger()) : NODES.numberNode(unpacker.unpackLong());
            case FLOAT -> NODES.numberNode(unpacker.unpackDouble());
            case STRING -> NODES.stringNode(unpacker.unpackString());
            case BINARY -> NODES.binaryNode(unpacker.readPayload(unpacker.unpackBinaryHeader()));
            case ARRAY -> {
                int size = unpacker.unpackArrayHeader();
                ArrayNode array = NODES.arrayNode(size);
                for (int i = 0; i < size; i++) {
                    array.add(unpack(unpacker));
                }
                yield array;
            }
            case MAP -> {
                int size = unpacker.unpackMapHeader();
                ObjectNode object = NODES.objectNode();
                for (int i = 0; i < size; i++) {
                    JsonNode key = unpack(unpacker);
                    object.set(key.isString() ? key.stringValue() : key.toString(), unpack(unpacker));
                }
                yield object;
            }
            case EXTENSION -> extension(unpacker);
        };
    }

    /** The timestamp extension becomes ISO-8601 text; other extensions their raw bytes. */
    private static JsonNode extension(MessageUnpacker unpacker) throws IOException {
        var header = unpacker.unpackExtensionTypeHeader();
        if (header.isTimestampType()) {
            Instant instant = unpacker.unpackTimestamp(header);
            return NODES.stringNode(instant.toString());
        }
        return NODES.binaryNode(unpacker.readPayload(header.getLength()));
    }
}
