package dev.falclient.emulator;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/**
 * What the gateway checks before a call reaches fal: the key (from the header alone, so a caller with a wrong key
 * never gets to send a body) and the body size (counted while reading, so an oversized body is never held whole).
 */
final class Admission {

    /** A request body as read: the text, its size on the wire, and its bytes. */
    record Body(String text, long bytes, byte[] data) {
        static final Body NONE = new Body("", 0, new byte[0]);
    }

    /** The body passed the limit; nothing more of it is read. */
    static final class TooLarge extends RuntimeException {
        TooLarge(long limit) {
            super("Request body too large: the limit is " + limit + " bytes", null, false, false);
        }
    }

    /**
     * The caller went away before its body was complete. fal never sees such a request, so the emulator neither
     * records nor runs it.
     */
    static final class Abandoned extends RuntimeException {
        Abandoned(Throwable cause) {
            super("Request body broken off: " + cause, null, false, false);
        }
    }

    private final String requiredKey;
    private final long maxBodySize;

    Admission(String requiredKey, long maxBodySize) {
        this.requiredKey = requiredKey;
        this.maxBodySize = maxBodySize;
    }

    /** {@code null} when the call may go on, else the 401 fal answers. */
    Reply.Body rejectKey(HttpServerRequest req) {
        String header = req.requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
        if (header != null && header.startsWith("Key ")) {
            String key = header.substring(4).trim();
            if (!key.isEmpty() && (requiredKey == null || requiredKey.equals(key))) {
                return null;
            }
        }
        Reply.Body reply = Replies.detail(401,
                header == null ? "Missing authorization header" : "No user found for Key ID and Secret");
        String length = req.requestHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
        boolean bodyPending = req.requestHeaders().contains(HttpHeaderNames.TRANSFER_ENCODING)
                || (length != null && parseLong(length) != 0);
        return bodyPending ? closing(reply) : reply;
    }

    /**
     * Reads the body up to the limit. Fails with {@link TooLarge} as soon as the declared length or the bytes
     * received pass it; the rest is then discarded by Netty, not buffered. A body broken off midway fails with
     * {@link Abandoned}.
     */
    Mono<Body> read(HttpServerRequest req) {
        String declared = req.requestHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
        if (declared != null && parseLong(declared) > maxBodySize) {
            return Mono.error(new TooLarge(maxBodySize));
        }
        return req.receive()
                .reduceWith(ByteArrayOutputStream::new, (out, buf) -> append(out, buf))
                .map(out -> new Body(out.toString(StandardCharsets.UTF_8), out.size(), out.toByteArray()))
                .defaultIfEmpty(Body.NONE)
                .onErrorMap(e -> !(e instanceof TooLarge), Abandoned::new);
    }

    /** The 413 for a {@link TooLarge}. */
    static Reply.Body tooLarge(TooLarge e) {
        return closing(Replies.detail(413, e.getMessage()));
    }

    /** An answer given before the body was read: closing beats reading megabytes only to reuse the connection. */
    private static Reply.Body closing(Reply.Body reply) {
        Map<String, String> headers = new LinkedHashMap<>(reply.headers());
        headers.put(HttpHeaderNames.CONNECTION.toString(), HttpHeaderValues.CLOSE.toString());
        return new Reply.Body(reply.status(), reply.contentType(), headers, reply.bytes());
    }

    private ByteArrayOutputStream append(ByteArrayOutputStream out, ByteBuf buf) {
        int n = buf.readableBytes();
        if (out.size() + (long) n > maxBodySize) {
            throw new TooLarge(maxBodySize);
        }
        byte[] chunk = new byte[n];
        buf.readBytes(chunk);
        out.write(chunk, 0, n);
        return out;
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1; // Netty's decoder has rejected a malformed length already; count the bytes instead
        }
    }
}
