package dev.falclient.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import reactor.core.publisher.Flux;

/** The event-stream rules fal's streams are read by, fed in every chunking a network can produce. */
class EventStreamDecoderTests {

    private static final NettyDataBufferFactory BUFFERS = new NettyDataBufferFactory(Unpooled.buffer().alloc());

    private final List<ByteBuf> sent = new ArrayList<>();

    private List<String> decode(int maxEventBytes, byte[]... chunks) {
        Flux<DataBuffer> body = Flux.fromArray(chunks).map(bytes -> {
            ByteBuf buf = Unpooled.copiedBuffer(bytes);
            if (buf != Unpooled.EMPTY_BUFFER) { // shared, never released
                sent.add(buf);
            }
            return BUFFERS.wrap(buf);
        });
        List<String> events = EventStreamDecoder.decode(body, maxEventBytes).map(EventStreamDecoderTests::show)
                .collectList().block();
        assertThat(sent).allSatisfy(buf -> assertThat(buf.refCnt()).as("released").isZero());
        return events;
    }

    private List<String> decode(String... chunks) {
        byte[][] bytes = new byte[chunks.length][];
        for (int i = 0; i < chunks.length; i++) {
            bytes[i] = chunks[i].getBytes(StandardCharsets.UTF_8);
        }
        return decode(256 * 1024, bytes);
    }

    /** Every split of {@code body} into two chunks, and byte by byte, gives {@code expected}. */
    private void everyChunking(String body, String... expected) {
        byte[] all = body.getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut <= all.length; cut++) {
            byte[] a = java.util.Arrays.copyOfRange(all, 0, cut);
            byte[] b = java.util.Arrays.copyOfRange(all, cut, all.length);
            assertThat(decode(1024, a, b)).as("cut at %d", cut).containsExactly(expected);
        }
        byte[][] single = new byte[all.length][];
        for (int i = 0; i < all.length; i++) {
            single[i] = new byte[] {all[i]};
        }
        assertThat(decode(1024, single)).as("byte by byte").containsExactly(expected);
    }

    private static String show(StreamEvent event) {
        return event.data() == null && event.type() == null ? "#"
                : (event.type() == null ? "" : event.type() + "|") + (event.data() == null ? "null" : event.text());
    }

    @Test
    void linesMayEndInLfCrlfOrCrEvenWhenTheChunkEndsBetweenCrAndLf() {
        everyChunking("data: a\n\ndata: b\r\n\r\ndata: c\r\rdata: d\r\n\n", "a", "b", "c", "d");
    }

    @Test
    void dataLinesJoinWithLfAndOnlyOneSpaceAfterTheColonIsDropped() {
        everyChunking("data:  x\ndata:y\ndata\ndata: \n\n", " x\ny\n\n");
    }

    @Test
    void idsRetriesAndUnknownFieldsAreSkippedAndCommentsAreEventsOfTheirOwn() {
        everyChunking(": keep-alive\n\nid: 7\nretry: 1000\nfoo: bar\ndata: {\"status\":\"IN_QUEUE\"}\n\n:\n\n",
                "#", "{\"status\":\"IN_QUEUE\"}", "#");
    }

    @Test
    void aTypeWithoutDataIsStillAnEventButAnEmptyOneIsNot() {
        everyChunking("event: error\n\n\n\nevent: done\ndata: {}\n\ndata:\n\n", "error|null", "done|{}", "");
    }

    @Test
    void onlyDataWithMoreThanWhitespaceCounts() {
        assertThat(new StreamEvent(null, null).hasData()).isFalse();
        assertThat(new StreamEvent(null, " \n\t\r".getBytes(StandardCharsets.UTF_8)).hasData()).isFalse();
        assertThat(new StreamEvent("x", " {} ".getBytes(StandardCharsets.UTF_8)).hasData()).isTrue();
        assertThat(new StreamEvent("error", null).isType("error")).isTrue();
        assertThat(new StreamEvent(null, null).text()).isEmpty();
    }

    @Test
    void anEventCutOffByTheEndOfTheBodyIsDelivered() {
        assertThat(decode("data: {\"status\":\"COMPLETED\"}")).containsExactly("{\"status\":\"COMPLETED\"}");
        assertThat(decode("data: a\n")).containsExactly("a");
        assertThat(decode("data: a\n\n:tail")).containsExactly("a", "#");
    }

    @Test
    void aLeadingBomIsIgnoredOnlyAtTheStart() {
        assertThat(decode("\uFEFFdata: a\n\n\uFEFFdata: b\n\n")).containsExactly("a");
    }

    @Test
    void multiByteCharactersSplitAcrossChunksSurvive() {
        everyChunking("data: é→🎨\n\n", "é→🎨");
    }

    @Test
    void anEventOverTheLimitFailsAndEveryBufferIsReleased() {
        byte[] big = ("data: " + "x".repeat(100) + "\n").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> decode(250, big, big, big, "\n".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(DataBufferLimitException.class).hasMessageContaining("250 bytes");
        assertThat(sent).allSatisfy(buf -> assertThat(buf.refCnt()).isZero());
        // the limit is per event: many events of that size pass
        sent.clear();
        assertThat(decode(250, big, "\n".getBytes(StandardCharsets.UTF_8), big, "\n".getBytes(StandardCharsets.UTF_8)))
                .hasSize(2);
    }
}
