package dev.falclient.emulator;

import java.util.Map;
import java.util.function.BiFunction;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

/** What the emulator answers to one call, before faults transform it and the HTTP layer writes it. */
sealed interface Reply permits Reply.Body, Reply.Sse, Reply.Drop, Reply.Upgrade {

    /** A complete body with a status. */
    record Body(int status, String contentType, Map<String, String> headers, byte[] bytes) implements Reply {
    }

    /** A {@code text/event-stream}; every element is one complete event ({@code data: ...\n\n}). */
    record Sse(Map<String, String> headers, Flux<String> events) implements Reply {
    }

    /** Upgrade to a WebSocket and hand it to {@code session}, which returns when the session is over. */
    record Upgrade(WebsocketServerSpec spec,
                   BiFunction<WebsocketInbound, WebsocketOutbound, Publisher<Void>> session) implements Reply {
    }

    /** Close the connection without answering. */
    record Drop() implements Reply {
    }
}
