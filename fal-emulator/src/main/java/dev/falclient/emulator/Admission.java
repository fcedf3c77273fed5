package dev.falclient.emulator;

import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.charset.StandardCharsets;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/** What the gateway checks before a call reaches fal: the key. */
final class Admission {

    private final String requiredKey;

    Admission(String requiredKey) {
        this.requiredKey = requiredKey;
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
        return Replies.detail(401,
                header == null ? "Missing authorization header" : "No user found for Key ID and Secret");
    }

    /** The whole body as text; a broken upload reads as empty. */
    Mono<String> read(HttpServerRequest req) {
        return req.receive().aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                .onErrorResume(e -> Mono.just(""));
    }
}
