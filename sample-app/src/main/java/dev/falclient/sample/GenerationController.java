package dev.falclient.sample;

import java.net.URI;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The sample's HTTP API (see "The sample app" in the README). Errors are RFC 9457 problem details ({@link ApiErrorHandler}).
 *
 * <pre>
 * POST   /generations              {"prompt": "..."}  -> 202 {"requestId", "endpointId"} | 429/503 + Retry-After
 * GET    /generations/{id}                            -> 200 status (kind, position, logs)
 * GET    /generations/{id}/result                     -> 200 output | 409 not completed or cancelled | 502 failed
 * DELETE /generations/{id}                            -> 202 cancel requested
 * GET    /generations/{id}/events                     -> text/event-stream of the transitions
 * </pre>
 */
@RestController
@RequestMapping("/generations")
public class GenerationController {

    private final GenerationService generations;

    public GenerationController(GenerationService generations) {
        this.generations = generations;
    }

    /** The body of {@code POST /generations}. */
    public record GenerationRequest(String prompt) {
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<GenerationService.Submitted>> submit(@RequestBody(required = false) GenerationRequest body,
                                                                    ServerWebExchange exchange) {
        return generations.submit(body == null ? null : body.prompt(), BrowserSession.of(exchange))
                .map(s -> ResponseEntity.status(HttpStatus.ACCEPTED)
                        .location(URI.create("/generations/" + s.requestId()))
                        .body(s));
    }

    @GetMapping("/{id}")
    public Mono<GenerationStatus> status(@PathVariable String id, ServerWebExchange exchange) {
        return generations.status(id, BrowserSession.of(exchange));
    }

    @GetMapping("/{id}/result")
    public Mono<JsonNode> result(@PathVariable String id, ServerWebExchange exchange) {
        return generations.result(id, BrowserSession.of(exchange));
    }

    @DeleteMapping("/{id}")
    public Mono<ResponseEntity<Map<String, String>>> cancel(@PathVariable String id, ServerWebExchange exchange) {
        return generations.cancel(id, BrowserSession.of(exchange))
                .thenReturn(ResponseEntity.status(HttpStatus.ACCEPTED)
                        .body(Map.of("requestId", id, "status", "CANCELLATION_REQUESTED")));
    }

    @GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public Flux<ServerSentEvent<GenerationEvent>> events(@PathVariable String id,
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId, ServerWebExchange exchange) {
        return generations.events(id, BrowserSession.of(exchange), parseLastEventId(lastEventId));
    }

    private static long parseLastEventId(String header) {
        if (header == null || header.isBlank()) {
            return 0;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
