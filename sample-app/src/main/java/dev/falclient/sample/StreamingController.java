package dev.falclient.sample;

import dev.falclient.AsyncFalClient;
import dev.falclient.FalException;
import dev.falclient.FalHttpException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The streaming demo: relays a streaming run's events from fal to the browser as they arrive.
 *
 * <pre>
 * GET /streams?prompt=...   -> text/event-stream: "partial" events (fal's event data, in order), then "done", or
 *                              "failed" {"message", "falStatus", "errorType"} when fal fails mid-way
 * </pre>
 *
 * <p>A browser that closes the page cancels the flux, which closes the connection to fal: nothing streams on for
 * nobody.
 */
@RestController
public class StreamingController {

    private static final Logger log = LoggerFactory.getLogger(StreamingController.class);
    private static final int MAX_PROMPT = 2_000;

    private final AsyncFalClient fal;
    private final StreamingProperties properties;

    public StreamingController(AsyncFalClient fal, StreamingProperties properties) {
        this.fal = fal;
        this.properties = properties;
    }

    @GetMapping(path = "/streams", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public Flux<ServerSentEvent<Object>> stream(@RequestParam(defaultValue = "") String prompt) {
        if (prompt.isBlank() || prompt.length() > MAX_PROMPT) {
            throw new IllegalArgumentException("prompt must have 1 to " + MAX_PROMPT + " characters");
        }
        return fal.stream(properties.endpointId(), Map.of("prompt", prompt))
                .map(event -> ServerSentEvent.<Object>builder(event).event("partial").build())
                .concatWith(Mono.just(ServerSentEvent.builder().event("done").data((Object) Map.of()).build()))
                .onErrorResume(FalException.class, e -> {
                    log.warn("Streaming from {} failed: {}", properties.endpointId(), e.getMessage());
                    return Mono.just(ServerSentEvent.builder().event("failed").data((Object) error(e)).build());
                });
    }

    private static Map<String, Object> error(FalException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", e.getMessage());
        if (e instanceof FalHttpException http) {
            body.put("falStatus", http.statusCode());
            if (http.errorType() != null) {
                body.put("errorType", http.errorType());
            }
        }
        return body;
    }
}
