package dev.falclient.emulator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.util.retry.Retry;
import tools.jackson.databind.node.ObjectNode;

/**
 * POSTs fal's webhook payload to the {@code fal_webhook} URL of each completed request, signed as fal signs it (each
 * attempt with its own timestamp), and retries a delivery the receiver does not accept, as the
 * {@link WebhookSender} says. Armed {@link WebhookFault}s make deliveries duplicate, late, stale or badly signed.
 */
final class WebhookDelivery implements Disposable {

    private static final Logger log = LoggerFactory.getLogger(WebhookDelivery.class);

    private final HttpClient client = HttpClient.create().responseTimeout(Duration.ofSeconds(15));
    private final WebhookSender sender;
    private final Sinks.Empty<Void> closed = Sinks.empty();
    private final Disposable subscription;

    WebhookDelivery(Flux<QueueEngine.Completion> completions, WebhookSender sender) {
        this.sender = sender;
        this.subscription = completions.filter(c -> c.webhookUrl() != null).subscribe(c -> {
            try {
                deliver(c);
            } catch (RuntimeException e) { // a bad URL fails this delivery, not the ones after it
                log.debug("fal emulator: webhook for {} failed: {}", c.requestId(), e.toString());
            }
        });
    }

    private void deliver(QueueEngine.Completion c) {
        byte[] body = payload(c).toString().getBytes(StandardCharsets.UTF_8);
        WebhookFault.Plan plan = sender.nextPlan();
        Duration first = sender.firstRetryDelay();
        for (int copy = 0; copy < plan.copies(); copy++) {
            AtomicInteger attempt = new AtomicInteger();
            Mono.delay(plan.delay())
                    .then(Mono.defer(() -> post(c, body, plan, attempt.incrementAndGet())))
                    .retryWhen(Retry.backoff(sender.retries(), first).maxBackoff(first.multipliedBy(16)))
                    .takeUntilOther(closed.asMono())
                    .subscribe(code -> log.debug("fal emulator: webhook for {} accepted ({})", c.requestId(), code),
                            e -> log.debug("fal emulator: webhook for {} given up: {}", c.requestId(), e.toString()));
        }
    }

    private static ObjectNode payload(QueueEngine.Completion c) {
        Replies.OutcomeAnswer answer = Replies.answer(c.outcome());
        ObjectNode payload = Replies.NODES.objectNode();
        payload.put("request_id", c.requestId());
        payload.put("gateway_request_id", c.requestId());
        payload.put("status", answer.status() == 200 ? "OK" : "ERROR");
        payload.set("payload", answer.body());
        if (answer.status() != 200) {
            payload.put("error", "Invalid status code: " + answer.status());
        }
        return payload;
    }

    /** One POST; an answer other than 2xx fails it, so that it is retried. */
    private Mono<Integer> post(QueueEngine.Completion c, byte[] body, WebhookFault.Plan plan, int attempt) {
        long timestamp = Instant.now().plus(plan.timestampOffset()).getEpochSecond();
        Map<String, String> signed = sender.signer().headers(c.requestId(), timestamp, body);
        if (plan.badSignature()) {
            String sig = signed.get("X-Fal-Webhook-Signature");
            signed.put("X-Fal-Webhook-Signature", (sig.charAt(0) == '0' ? "1" : "0") + sig.substring(1));
        }
        return client.headers(h -> {
                    h.set("Content-Type", Replies.JSON);
                    signed.forEach(h::set);
                })
                .post().uri(c.webhookUrl())
                .send(ByteBufFlux.fromInbound(Mono.just(body)))
                .responseSingle((resp, bytes) -> Mono.just(resp.status().code()))
                .onErrorResume(e -> {
                    sender.record(new WebhookAttempt(c.requestId(), c.webhookUrl(), attempt, 0, Instant.now()));
                    return Mono.error(e);
                })
                .flatMap(code -> {
                    sender.record(new WebhookAttempt(c.requestId(), c.webhookUrl(), attempt, code, Instant.now()));
                    return code >= 200 && code < 300 ? Mono.just(code)
                            : Mono.error(new IllegalStateException("receiver answered " + code));
                });
    }

    @Override
    public void dispose() {
        subscription.dispose();
        closed.tryEmitEmpty();
    }

    @Override
    public boolean isDisposed() {
        return subscription.isDisposed();
    }
}
