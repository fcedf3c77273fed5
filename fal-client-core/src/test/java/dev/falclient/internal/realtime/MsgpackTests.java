package dev.falclient.internal.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Trees to msgpack and back, checked against msgpack-core's own reading and writing. */
class MsgpackTests {

    static final JsonMapper JSON = JsonMapper.shared();

    @Test
    void everyJsonTypeAndBinaryRoundTrips() {
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        tree.put("text", "a cat").put("int", 7).put("long", 1L << 40).put("double", 0.5).put("float", 1.5f)
                .put("yes", true).putNull("none").put("big", new BigInteger("18446744073709551615"))
                .put("bytes", new byte[] {1, 2, 3});
        tree.putArray("list").add(1).add("two").addObject().put("three", 3);

        JsonNode back = Msgpack.decode(Msgpack.encode(tree));

        assertThat(back.path("bytes").binaryValue()).containsExactly(1, 2, 3);
        assertThat(back.path("big").bigIntegerValue()).isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(back.path("long").longValue()).isEqualTo(1L << 40);
        assertThat(back.path("float").doubleValue()).isEqualTo(1.5);
        assertThat(back.path("none").isNull()).isTrue();
        assertThat(back.path("list").toString()).isEqualTo("[1,\"two\",{\"three\":3}]");
        assertThat(back.path("text").asString()).isEqualTo("a cat");
    }

    @Test
    void encodedBytesAreWhatMsgpackCoreReads() throws IOException {
        byte[] packed = Msgpack.encode(JSON.readTree("{\"prompt\":\"a cat\",\"steps\":4}"));

        try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(packed)) {
            assertThat(unpacker.unpackValue().toJson()).isEqualTo("{\"prompt\":\"a cat\",\"steps\":4}");
        }
    }

    @Test
    void timestampsBecomeIsoTextAndNonStringKeysText() throws IOException {
        byte[] packed;
        try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
            packer.packMapHeader(2);
            packer.packString("at").packTimestamp(Instant.parse("2026-12-01T10:00:00Z"));
            packer.packInt(1).packString("one");
            packed = packer.toByteArray();
        }

        JsonNode tree = Msgpack.decode(packed);

        assertThat(tree.path("at").asString()).isEqualTo("2026-12-01T10:00:00Z");
        assertThat(tree.path("1").asString()).isEqualTo("one");
    }

    @Test
    void bytesThatAreNotOneMsgpackValueAreRefused() {
        assertThatThrownBy(() -> Msgpack.decode(new byte[] {(byte) 0xc1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("msgpack");
        assertThatThrownBy(() -> Msgpack.decode(new byte[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trailing");
    }
}
