package dev.falclient.sample;

import dev.falclient.AsyncFalClient;
import dev.falclient.realtime.FalRealtimeException;
import dev.falclient.realtime.RealtimeOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpCookie;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;

/**
 * The realtime page's WebSocket ({@value #PATH}): relays the browser's prompts to fal's realtime API
 * ({@code fal.realtime().connect(…)}, one fal connection per browser socket) and fal's outputs back, so that the
 * key stays on the server and the browser talks to this app only. See {@link RealtimeMessages} for the messages.
 *
 * <ul>
 *   <li>Before the upgrade, {@link RequestGuard} applies the app's rules: the access token, and a same-origin
 *       {@code Origin} (browsers cannot add the page's header to a WebSocket handshake).</li>
 *   <li>Then the socket needs the browser session cookie ({@link BrowserSession}, set when the page loaded) and room
 *       under {@code sample.realtime.max-connections[-per-session]}; else an error message and close (1008, 1013).</li>
 *   <li>Only the latest prompt matters: the client keeps the latest input while fal is busy and fal buffers at most
 *       two ({@code latestInputWins}, {@code maxBuffering(2)}).</li>
 *   <li>A browser that goes away closes the fal connection; a browser silent for {@code sample.realtime.idle-timeout}
 *       is closed normally (1000, "idle"). A failure reaches the browser as a generic error with a reference (fal's
 *       text goes to the log), then close 1011.</li>
 * </ul>
 */
@Component
public class RealtimeSocketHandler implements WebSocketHandler {

    /** Where the socket is served. */
    public static final String PATH = "/realtime/ws";

    private static final Logger log = LoggerFactory.getLogger(RealtimeSocketHandler.class);
    private static final RealtimeOptions OPTIONS = RealtimeOptions.builder()
            .latestInputWins(true)
            .maxBuffering(2)
            .build();
    /** Prompts remembered per socket to tell which one an output answers. */
    private static final int REMEMBERED_PROMPTS = 32;

    private final AsyncFalClient fal;
    private final SampleProperties.Realtime settings;
    private final RealtimeConnections connections;
    private final RealtimeMessages messages;

    public RealtimeSocketHandler(AsyncFalClient fal, SampleProperties properties, RealtimeConnections connections,
                                 RealtimeMessages messages) {
        this.fal = fal;
        this.settings = properties.realtime();
        this.connections = connections;
        this.messages = messages;
    }

    @Override
    public Mono<Void> handle(WebSocketSession socket) {
        HttpCookie cookie = socket.getHandshakeInfo().getCookies().getFirst(BrowserSession.COOKIE);
        String session = cookie != null && BrowserSession.valid(cookie.getValue()) ? cookie.getValue() : null;
        if (session == null) {
            return refuse(socket, "no-session", "No browser session: open the realtime page of this app first",
                    CloseStatus.POLICY_VIOLATION);
        }
        return Mono.defer(() -> switch (connections.admit(session)) {
            case SESSION_FULL -> refuse(socket, "busy", "This browser already has "
                    + settings.maxConnectionsPerSession() + " realtime connections open (other tabs?): close one",
                    CloseStatus.SERVICE_OVERLOAD);
            case APP_FULL -> refuse(socket, "busy", "The app has as many realtime connections open as it allows "
                    + "(" + settings.maxConnections() + "): try again later", CloseStatus.SERVICE_OVERLOAD);
            case ADMITTED -> relay(socket).doFinally(signal -> connections.release(session));
        });
    }

    private Mono<Void> refuse(WebSocketSession socket, String code, String text, CloseStatus status) {
        return socket.send(Mono.just(socket.textMessage(messages.error(code, text))))
                .then(socket.close(status))
                .onErrorResume(e -> Mono.empty());
    }

    private Mono<Void> relay(WebSocketSession socket) {
        Prompts prompts = new Prompts();
        Sinks.Empty<Void> browserGone = Sinks.empty();
        AtomicReference<CloseStatus> closeWith = new AtomicReference<>(CloseStatus.NORMAL);
        Flux<Map<String, String>> inputs = socket.receive()
                .filter(message -> message.getType() != WebSocketMessage.Type.PING
                        && message.getType() != WebSocketMessage.Type.PONG)
                // read at once: Reactor Netty releases the frame after this call
                .map(message -> new Received(message.getType() == WebSocketMessage.Type.TEXT
                        ? message.getPayloadAsText() : null))
                // the browser closed its socket (or the connection broke): the fal connection closes with it
                .doOnComplete(() -> {
                    log.debug("Realtime socket {}: the browser closed it", socket.getId());
                    browserGone.tryEmitEmpty();
                })
                .doOnError(e -> log.debug("Realtime socket {}: broken: {}", socket.getId(), e.toString()))
                .doOnCancel(() -> log.debug("Realtime socket {}: cancelled", socket.getId()))
                // never cancelled before the socket ends: Reactor Netty answers a cancelled inbound with an
                // immediate close frame, which would cut off the error message sent to the browser
                .publish().autoConnect()
                .map(received -> prompt(received.text()))
                .timeout(settings.idleTimeout(), Flux.error(new Idle()))
                .filter(prompt -> !prompt.isBlank())
                .map(prompts::sent);
        Flux<String> toBrowser = Flux.concat(
                        Mono.just(messages.ready(settings.endpointId())),
                        fal.realtime().connect(settings.endpointId(), inputs, OPTIONS).map(prompts::answered))
                .takeUntilOther(browserGone.asMono())
                .onErrorResume(e -> {
                    Ending ending = ending(e);
                    closeWith.set(ending.status());
                    return Mono.justOrEmpty(ending.message());
                });
        return socket.send(toBrowser.map(socket::textMessage))
                .then(Mono.defer(() -> socket.close(closeWith.get())))
                .onErrorResume(e -> {
                    log.debug("Realtime socket {} ended: {}", socket.getId(), e.toString());
                    return Mono.empty();
                });
    }

    /** A browser message: its text, {@code null} for a binary one. */
    private record Received(@Nullable String text) {
    }

    private String prompt(@Nullable String text) {
        if (text == null) {
            throw new RealtimeMessages.BadMessage("Send JSON text messages, e.g. {\"prompt\": \"a red fox\"}");
        }
        return messages.prompt(text);
    }

    /** How the socket ends after an error: the message for the browser (none for an idle close) and the status. */
    private record Ending(CloseStatus status, @Nullable String message) {
    }

    private Ending ending(Throwable e) {
        if (e instanceof Idle) {
            return new Ending(CloseStatus.NORMAL.withReason("idle"), null);
        }
        if (e instanceof RealtimeMessages.BadMessage bad) {
            return new Ending(CloseStatus.POLICY_VIOLATION, messages.error("bad-message", bad.getMessage()));
        }
        // fal's reason and URLs go to the log only; the browser gets the code (an identifier) and a reference
        String reference = UUID.randomUUID().toString();
        String code = e instanceof FalRealtimeException failure && failure.code().matches("[A-Z_]{1,40}")
                ? failure.code() : "FAILED";
        log.warn("Realtime connection to {} failed [reference {}]: {}", settings.endpointId(), reference,
                e.getMessage());
        return new Ending(CloseStatus.SERVER_ERROR, messages.error("failed",
                "The realtime session failed (" + code + "); reference " + reference));
    }

    /** The browser sent nothing for {@code sample.realtime.idle-timeout}. */
    private static final class Idle extends RuntimeException {
        Idle() {
            super("idle", null, false, false);
        }
    }

    /** The prompts sent on one socket, by the {@code request_id} fal's realtime apps echo in their outputs. */
    private final class Prompts {

        private record Sent(String prompt, long nanos) {
        }

        private final Map<String, Sent> byId = new LinkedHashMap<>(64, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Sent> eldest) {
                return size() > REMEMBERED_PROMPTS;
            }
        };
        private long sent;

        synchronized Map<String, String> sent(String prompt) {
            String id = "rt-" + ++sent;
            byId.put(id, new Sent(prompt, System.nanoTime()));
            return Map.of("prompt", prompt, "request_id", id);
        }

        /** The browser's message for an output: with the prompt it answers and the time it took, when known. */
        String answered(JsonNode output) {
            Sent sent;
            synchronized (this) {
                sent = output.path("request_id").isString() ? byId.get(output.path("request_id").stringValue()) : null;
            }
            if (sent != null) {
                return messages.output(output, sent.prompt(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent.nanos()));
            }
            String prompt = output.path("prompt").isString() ? output.path("prompt").stringValue() : null;
            return messages.output(output, prompt, -1);
        }
    }
}
