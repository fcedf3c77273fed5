package dev.falclient.internal.realtime;

import dev.falclient.internal.json.Excerpt;
import dev.falclient.internal.json.FalJson;
import dev.falclient.realtime.FalRealtimeException;
import dev.falclient.realtime.RealtimeEncoding;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** fal's realtime frames, both ways: inputs encoded, server frames read into outputs or protocol messages. */
final class Frames {

    static final String TIMEOUT = "TIMEOUT";

    /** What one server frame means. */
    sealed interface Inbound {
    }

    /** An output of the app. */
    record Output(JsonNode output) implements Inbound {
    }

    /** A frame the client skips: fal's {@code x-fal-message}s (timings, pings), close and control frames. */
    record Skip() implements Inbound {
    }

    /** fal's {@code x-fal-error}: {@code TIMEOUT} for an idle session, anything else a failure. */
    record Error(String code, String reason) implements Inbound {
        boolean idle() {
            return TIMEOUT.equals(code);
        }
    }

    private static final Skip SKIP = new Skip();

    private final FalJson json;

    Frames(FalJson json) {
        this.json = json;
    }

    /** Encodes an input: bytes as they are, anything else as a tree, msgpack or JSON. */
    WebSocketFrame encode(Object input, RealtimeEncoding encoding, ByteBufAllocator alloc) {
        if (input instanceof byte[] bytes) {
            return new BinaryWebSocketFrame(alloc.buffer(bytes.length).writeBytes(bytes));
        }
        JsonNode tree = input instanceof JsonNode node ? node : json.mapper().valueToTree(input);
        if (encoding == RealtimeEncoding.JSON) {
            return new TextWebSocketFrame(alloc.buffer().writeBytes(json.write(tree)));
        }
        byte[] packed = Msgpack.encode(tree);
        return new BinaryWebSocketFrame(alloc.buffer(packed.length).writeBytes(packed));
    }

    /** Reads a frame; must run before the frame is released. */
    Inbound decode(WebSocketFrame frame) {
        if (frame instanceof BinaryWebSocketFrame) {
            try {
                return new Output(Msgpack.decode(ByteBufUtil.getBytes(frame.content())));
            } catch (IllegalArgumentException e) {
                throw new FalRealtimeException(FalRealtimeException.UNREADABLE_FRAME,
                        "a binary frame of " + frame.content().readableBytes() + " bytes is not msgpack", 0, 0, e);
            }
        }
        if (frame instanceof TextWebSocketFrame) {
            return text(frame.content().toString(StandardCharsets.UTF_8));
        }
        return SKIP;
    }

    private Inbound text(String text) {
        JsonNode node = parse(text);
        if (node == null) {
            // as the Python client does: plain text stays readable
            return new Output(JsonNodeFactory.instance.objectNode().put("type", "text").put("payload", text));
        }
        String type = FalJson.text(node, "type");
        if ("x-fal-message".equals(type)) {
            return SKIP;
        }
        if ("x-fal-error".equals(type)) {
            return new Error(orUnknown(FalJson.text(node, "error")), orUnknown(FalJson.text(node, "reason")));
        }
        if ("error".equals(FalJson.text(node, "status"))) {
            // the legacy shape fal-js knows, e.g. {"status": "error", "error": "Unauthorized"}
            String error = orUnknown(FalJson.text(node, "error"));
            return new Error(error.toUpperCase(java.util.Locale.ROOT), Excerpt.of(text));
        }
        return new Output(node);
    }

    private @Nullable JsonNode parse(String text) {
        try {
            return json.read(text);
        } catch (JacksonException e) {
            return null;
        }
    }

    private static String orUnknown(@Nullable String value) {
        return value == null || value.isBlank() ? "UNKNOWN" : value;
    }
}
