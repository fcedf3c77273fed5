package dev.falclient.internal.realtime;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Where the input pump finds the open socket: the current one, or the next one to open. Asking for a socket while
 * none is open is the demand that opens one after fal closed an idle session.
 */
final class SocketSlot {

    private Sinks.One<SocketExchange> next = Sinks.one();
    private Sinks.Empty<Void> demand = Sinks.empty();
    private @Nullable SocketExchange open;

    /** The open socket, or the next one once it opens. */
    synchronized Mono<SocketExchange> await() {
        if (open == null) {
            demand.tryEmitEmpty();
        }
        return next.asMono();
    }

    /** Completes when an input waits for a socket. */
    synchronized Mono<Void> demand() {
        return demand.asMono();
    }

    /** Ends a wait for demand without an input (the inputs have completed). */
    synchronized void wake() {
        demand.tryEmitEmpty();
    }

    synchronized @Nullable SocketExchange open() {
        return open;
    }

    synchronized void opened(SocketExchange exchange) {
        open = exchange;
        next.tryEmitValue(exchange);
    }

    synchronized void closed(SocketExchange exchange) {
        if (open == exchange) {
            open = null;
            next = Sinks.one();
            demand = Sinks.empty();
        }
    }
}
