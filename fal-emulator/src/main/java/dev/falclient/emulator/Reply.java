package dev.falclient.emulator;

import java.util.Map;
import reactor.core.publisher.Flux;

/** What the emulator answers to one call, before faults transform it and the HTTP layer writes it. */
sealed interface Reply permits Reply.Body, Reply.Sse, Reply.Drop {

    /** A complete body with a status. */
    record Body(int status, String contentType, Map<String, String> headers, byte[] bytes) implements Reply {
    }

    /** A {@code text/event-stream}; every element is one complete event ({@code data: ...\n\n}). */
    record Sse(Map<String, String> headers, Flux<String> events) implements Reply {
    }

    /** Close the connection without answering. */
    record Drop() implements Reply {
    }
}
