package dev.falclient.spring.webhook;

import dev.falclient.spring.event.FalEventPublisher;
import dev.falclient.webhook.FalWebhook;
import dev.falclient.webhook.FalWebhookDeduplicator;
import dev.falclient.webhook.FalWebhookVerificationException;
import dev.falclient.webhook.FalWebhookVerifier;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * What the starter's webhook endpoints (WebFlux and Spring MVC) do with a delivery once its raw body is read:
 * verify it, skip it if the {@link FalWebhookDeduplicator} saw its request before, and publish it through the
 * {@link FalEventPublisher} as the events a watched request gives. The HTTP status says the outcome: 200 for a
 * delivery handled (or a duplicate), 401 for one that failed verification, 400 for a signed body that is no webhook,
 * 503 when fal's keys cannot be fetched, 500 when an event listener failed (the delivery is forgotten, so fal's
 * retry is handled again). Defined as a bean, so an application can call it from its own endpoint.
 *
 * <pre>{@code
 * @PostMapping("/hooks/fal")
 * ResponseEntity<String> hook(@RequestHeader Map<String, String> headers, @RequestBody byte[] body) {
 *     FalWebhookReceiver.Answer answer = receiver.receive(headers, body).block();
 *     return ResponseEntity.status(answer.status()).body(answer.detail());
 * }
 * }</pre>
 *
 * <p>Event listeners run on a Reactor bounded-elastic thread (never a Netty event loop) before fal gets its answer:
 * keep them fast, and hand slow work off ({@code @Async}), since fal waits for the answer.
 */
public class FalWebhookReceiver {

    /** The reason of a refused delivery whose body is larger than {@code fal.webhook.max-body-size}. */
    public static final String BODY_TOO_LARGE = "BODY_TOO_LARGE";

    private static final Logger log = LoggerFactory.getLogger(FalWebhookReceiver.class);

    private final FalWebhookVerifier verifier;
    private final FalWebhookDeduplicator deduplicator;
    private final FalEventPublisher events;
    private final FalWebhookObserver observer;

    /** The status and a short text (never a secret) the endpoint answers a delivery with. */
    public record Answer(int status, String detail) {
    }

    public FalWebhookReceiver(FalWebhookVerifier verifier, FalWebhookDeduplicator deduplicator,
                              FalEventPublisher events, FalWebhookObserver observer) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.deduplicator = Objects.requireNonNull(deduplicator, "deduplicator");
        this.events = Objects.requireNonNull(events, "events");
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /** The largest body the endpoints read, in bytes. */
    public int maxBodySize() {
        return verifier.settings().maxBodySize();
    }

    /** Handles one delivery: {@code headers} as received (any case), {@code rawBody} exactly as received. */
    public Mono<Answer> receive(Map<String, String> headers, byte[] rawBody) {
        return verifier.verifyAsync(headers, rawBody)
                // the deduplicator may be a database, and listeners may block: never on an event loop
                .publishOn(Schedulers.boundedElastic())
                .map(this::handle)
                .onErrorResume(FalWebhookVerificationException.class, this::refused);
    }

    /** The answer to a body larger than {@link #maxBodySize()}; counted as rejected. */
    public Answer tooLarge() {
        observer.rejected(BODY_TOO_LARGE);
        log.warn("fal webhook refused: its body is larger than {} bytes (fal.webhook.max-body-size)", maxBodySize());
        return new Answer(413, "the body is larger than " + maxBodySize() + " bytes");
    }

    private Answer handle(FalWebhook webhook) {
        observer.received(webhook);
        String requestId = webhook.requestId();
        if (!deduplicator.firstDelivery(requestId)) {
            observer.duplicate(webhook);
            log.debug("fal webhook of request {} was handled before: answered, not published again", requestId);
            return new Answer(200, "duplicate");
        }
        try {
            events.onWebhook(webhook);
        } catch (RuntimeException e) {
            deduplicator.forget(requestId);
            log.error("fal webhook of request {}: an event listener failed; answering 500 so that fal retries",
                    requestId, e);
            return new Answer(500, "a listener failed");
        }
        return new Answer(200, "ok");
    }

    private Mono<Answer> refused(FalWebhookVerificationException e) {
        observer.rejected(e.reason().name());
        log.warn("fal webhook refused: {}", e.getMessage());
        int status = switch (e.reason()) {
            case MALFORMED_BODY -> 400;
            case JWKS_UNAVAILABLE -> 503;
            default -> 401;
        };
        return Mono.just(new Answer(status, e.reason().name()));
    }
}
