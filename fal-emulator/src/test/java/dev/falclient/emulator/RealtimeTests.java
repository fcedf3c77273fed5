package dev.falclient.emulator;

import static dev.falclient.emulator.Http.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;

/** The realtime session protocol (fal-protocol.md section 5.8), through real WebSocket clients. */
class RealtimeTests extends EmulatorTestBase {

    private static final String APP = "fal-ai/fast-lcm-diffusion";

    private Ws open(String query) {
        return Ws.connect(emu.runUrl() + "/" + APP + "/realtime?fal_jwt_token=" + token() + query);
    }

    private String token() {
        return post(emu.restUrl() + "/tokens/", "{\"allowed_apps\":[\"fast-lcm-diffusion\"]}").json().asString();
    }

    private static Map<Value, Value> map(Ws.Frame f) {
        return f.binary().asMapValue().map();
    }

    private static Value get(Ws.Frame f, String key) {
        return map(f).get(ValueFactory.newString(key));
    }

    @Test
    void aMsgpackInputIsAnsweredWithTimingsThenAMsgpackImageOutput() {
        emu = FalEmulator.start();
        Ws ws = open("");
        byte[] picture = {1, 2, 3, (byte) 0xff};
        ws.send(Ws.msgpack(Map.of("prompt", "a cat", "request_id", "r-1", "image", picture))).awaitOutputs(1);

        assertThat(ws.frames).hasSize(2);
        JsonNode timings = ws.frames.get(0).json();
        assertThat(timings.path("type").asString()).isEqualTo("x-fal-message");
        assertThat(timings.path("action").asString()).isEqualTo("timings");
        assertThat(timings.path("timing").isNumber()).isTrue();
        Ws.Frame out = ws.frames.get(1);
        assertThat(out.isText()).isFalse();
        assertThat(get(out, "request_id").asStringValue().asString()).isEqualTo("r-1");
        assertThat(get(out, "prompt").asStringValue().asString()).isEqualTo("a cat");
        Map<Value, Value> image = get(out, "images").asArrayValue().get(0).asMapValue().map();
        assertThat(image.get(ValueFactory.newString("url")).asStringValue().asString())
                .startsWith(emu.cdnUrl() + "/files/").endsWith(".png");

        assertThat(emu.realtimeSessions()).singleElement().satisfies(s -> {
            assertThat(s.endpointId()).isEqualTo(APP);
            assertThat(s.open()).isTrue();
            assertThat(s.closeStatus()).isZero();
            assertThat(s.outputs()).isEqualTo(1);
            assertThat(s.inputs()).singleElement().satisfies(in -> {
                assertThat(in.path("prompt").asString()).isEqualTo("a cat");
                assertThat(in.path("image").isBinary()).isTrue();
                assertThat(in.path("image").binaryValue()).isEqualTo(picture);
            });
        });
        assertThat(emu.requests(CallKind.REALTIME)).singleElement()
                .satisfies(r -> assertThat(r.endpointId()).isEqualTo(APP));

        ws.close(1000);
        assertThat(ws.awaitClose()).isEqualTo(1000);
        await().atMost(Http.PATIENCE).until(() -> !emu.realtimeSessions().get(0).open());
        assertThat(emu.realtimeSessions().get(0).closeStatus()).isEqualTo(1000);
    }

    @Test
    void aTextInputIsJsonModeAndIsAnsweredInJson() {
        emu = FalEmulator.start();
        emu.endpoint(APP).realtimeOutput(in -> Http.MAPPER.createObjectNode().put("echo", in.path("n").asInt()));
        Ws ws = open("");
        ws.sendText("{\"n\":1}").awaitOutputs(1);
        ws.send(Ws.msgpack(Map.of("n", 2))).awaitOutputs(2);
        List<Ws.Frame> outputs = ws.outputs();
        assertThat(outputs.get(0).isText()).isTrue();
        assertThat(outputs.get(0).json().path("echo").asInt()).isEqualTo(1);
        assertThat(outputs.get(1).isText()).isFalse();
        assertThat(get(outputs.get(1), "echo").asIntegerValue().asInt()).isEqualTo(2);
        assertThat(ws.frames.stream().filter(Ws.Frame::isTimings)).hasSize(2);
    }

    @Test
    void inputsAreAnsweredInOrderAndANullOutputSendsNothing() {
        emu = FalEmulator.start();
        emu.endpoint(APP).realtimeOutput(in -> in.path("skip").asBoolean() ? null : in);
        Ws ws = open("");
        ws.sendText("{\"i\":1,\"skip\":true}").sendText("{\"i\":2}").sendText("{\"i\":3}").awaitOutputs(2);
        await().atMost(Http.PATIENCE).until(() -> emu.realtimeSessions().get(0).outputs() == 2);
        assertThat(ws.outputs()).extracting(f -> f.json().path("i").asInt()).containsExactly(2, 3);
        assertThat(ws.frames).hasSize(4);
    }

    @Test
    void aServerStreamingAppSendsSeveralOutputsPerInput() {
        emu = FalEmulator.start();
        emu.endpoint(APP).realtimeOutputsPerInput(3).realtimeProcessingTime(Duration.ofMillis(5));
        Ws ws = open("");
        ws.sendText("{\"prompt\":\"x\"}").awaitOutputs(3);
        assertThat(ws.frames).extracting(Ws.Frame::isTimings).containsExactly(true, false, true, false, true, false);
    }

    @Test
    void withMaxBufferingTheOldestWaitingInputsAreDropped() {
        emu = FalEmulator.start();
        emu.endpoint(APP).realtimeProcessingTime(Duration.ofMillis(800))
                .realtimeOutput(in -> Http.MAPPER.createObjectNode().put("i", in.path("i").asInt()));
        Ws ws = open("&max_buffering=1");
        // 1 is taken up at once; 2, 3 and 4 wait behind it and only the newest stays
        ws.sendText("{\"i\":1}").sendText("{\"i\":2}").sendText("{\"i\":3}").sendText("{\"i\":4}").awaitOutputs(2);
        assertThat(ws.outputs()).extracting(f -> f.json().path("i").asInt()).containsExactly(1, 4);
        RealtimeSession s = emu.realtimeSessions().get(0);
        assertThat(s.inputsReceived()).isEqualTo(4);
        assertThat(s.dropped()).isEqualTo(2);
        assertThat(s.droppedInputs()).extracting(in -> in.path("i").asInt()).containsExactly(2, 3);
        assertThat(s.query()).containsEntry("max_buffering", "1");
    }

    @Test
    void aScriptedFailureSendsInternalErrorAndCloses1011OnceOnly() {
        emu = FalEmulator.start();
        emu.endpoint(APP).realtimeFailure(1, "CUDA out of memory");
        Ws ws = open("");
        ws.sendText("{\"i\":1}").awaitOutputs(1);
        ws.sendText("{\"i\":2}");
        assertThat(ws.awaitClose()).isEqualTo(1011);
        JsonNode error = ws.frames.get(ws.frames.size() - 1).json();
        assertThat(error.path("type").asString()).isEqualTo("x-fal-error");
        assertThat(error.path("error").asString()).isEqualTo("INTERNAL_ERROR");
        assertThat(error.path("reason").asString()).isEqualTo("CUDA out of memory");
        await().atMost(Http.PATIENCE).until(() -> emu.realtimeSessions().get(0).closeStatus() == 1011);

        Ws again = open("");
        again.sendText("{\"i\":1}").sendText("{\"i\":2}").awaitOutputs(2);
        assertThat(again.closeStatus).isNotDone();
    }

    @Test
    void anOutputFunctionThatThrowsIsAnAppThatRaises() {
        emu = FalEmulator.start();
        emu.endpoint(APP).realtimeOutput(in -> {
            throw new IllegalStateException("bad frame");
        });
        Ws ws = open("");
        ws.send(Ws.msgpack(Map.of("prompt", "x")));
        assertThat(ws.awaitClose()).isEqualTo(1011);
        assertThat(ws.frames.get(0).json().path("reason").asString()).contains("bad frame");
    }

    @Test
    void anIdleSessionIsToldToReconnectAndClosedNormally() {
        emu = FalEmulator.builder().realtimeIdleTimeout(Duration.ofMillis(300)).start();
        Ws ws = open("");
        ws.sendText("{}").awaitOutputs(1);
        assertThat(ws.awaitClose()).isEqualTo(1000);
        JsonNode timeout = ws.frames.get(ws.frames.size() - 1).json();
        assertThat(timeout.path("type").asString()).isEqualTo("x-fal-error");
        assertThat(timeout.path("error").asString()).isEqualTo("TIMEOUT");
        assertThat(timeout.path("reason").asString()).isEqualTo("no inputs, reconnect when needed!");
        await().atMost(Http.PATIENCE).until(() -> emu.realtimeSessions().get(0).closeStatus() == 1000);

        emu.endpoint(APP).realtimeIdleTimeout(Duration.ofMillis(100));
        assertThat(open("").awaitClose()).isEqualTo(1000);
    }

    @Test
    void aScriptedDropLosesTheConnectionWithoutACloseFrameOnceOnly() {
        emu = FalEmulator.start();
        emu.endpoint(APP).realtimeDrop(1);
        Ws ws = open("");
        ws.sendText("{\"i\":1}").awaitOutputs(1);
        ws.sendText("{\"i\":2}");
        // 1006 never travels in a close frame: the JDK client reports it for a connection lost without one
        assertThat(ws.awaitClose()).isEqualTo(1006);
        await().atMost(Http.PATIENCE).until(() -> emu.realtimeSessions().get(0).closeStatus() == 1006);
        assertThat(ws.outputs()).hasSize(1);

        open("").sendText("{\"i\":1}").sendText("{\"i\":2}").awaitOutputs(2);
    }

    @Test
    void anUndecodableInputIsAnInternalError() {
        emu = FalEmulator.start();
        Ws ws = open("");
        ws.send(new byte[] {(byte) 0xc1});
        assertThat(ws.awaitClose()).isEqualTo(1011);
        assertThat(ws.frames.get(0).json().path("error").asString()).isEqualTo("INTERNAL_ERROR");
    }

    @Test
    void reactorNettysWebSocketClientGetsTheSameAnswers() throws IOException {
        emu = FalEmulator.start();
        String url = emu.runUrl().replaceFirst("^http", "ws") + "/" + APP + "/realtime?fal_jwt_token=" + token();
        List<Object> frames = HttpClient.create().websocket().uri(url)
                .handle((in, out) -> out.sendObject(Mono.just(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(
                                Ws.msgpack(Map.of("prompt", "hi", "request_id", "rn")))))).then()
                        .thenMany(in.aggregateFrames().receiveFrames().take(2)
                                .map(f -> f instanceof TextWebSocketFrame t ? (Object) t.text()
                                        : ByteBufUtil.getBytes(f.content()))))
                .collectList().block(Http.PATIENCE);
        assertThat(frames).hasSize(2);
        assertThat((String) frames.get(0)).contains("\"timings\"");
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker((byte[]) frames.get(1))) {
            Map<Value, Value> out = u.unpackValue().asMapValue().map();
            assertThat(out.get(ValueFactory.newString("request_id")).asStringValue().asString()).isEqualTo("rn");
        }
    }
}
