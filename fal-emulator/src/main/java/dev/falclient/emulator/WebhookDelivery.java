package dev.falclient.emulator;

import io.netty.handler.codec.http.HttpHeaderNames;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.node.ObjectNode;

/** POSTs fal's webhook payload to the {@code fal_webhook} URL of each completed request: once, unsigned. */
final class WebhookDelivery implements Disposable {

    private static final Logger log = LoggerFactory.getLogger(WebhookDelivery.class);

    private final HttpClient client = HttpClient.create().responseTimeout(Duration.ofSeconds(15));
    private final Disposable subscription;

    WebhookDelivery(Flux<QueueEngine.Completion> completions) {
        this.subscription = completions.filter(c -> c.webhookUrl() != null).subscribe(c -> {
            try {
                deliver(c);
            } catch (RuntimeException e) { // a bad URL fails this delivery, not the ones after it
                log.debug("fal emulator: webhook for {} failed: {}", c.requestId(), e.toString());
            }
        });
    }

    private void deliver(QueueEngine.Completion c) {
        Replies.OutcomeAnswer answer = Replies.answer(c.outcome());
        ObjectNode payload = Replies.NODES.objectNode();
        payload.put("request_id", c.requestId());
        payload.put("gateway_request_id", c.requestId());
        payload.put("status", answer.status() == 200 ? "OK" : "ERROR");
        payload.set("payload", answer.body());
        if (answer.status() != 200) {
            payload.put("error", "Invalid status code: " + answer.status());
        }
        client.headers(h -> h.set(HttpHeaderNames.CONTENT_TYPE, Replies.JSON))
                .post().uri(c.webhookUrl())
                .send(ByteBufFlux.fromString(Mono.just(payload.toString())))
                .responseSingle((resp, bytes) -> Mono.just(resp.status().code()))
                .subscribe(code -> log.debug("fal emulator: webhook for {} answered {}", c.requestId(), code),
                        e -> log.debug("fal emulator: webhook for {} failed: {}", c.requestId(), e.toString()));
    }

    @Override
    public void dispose() {
        subscription.dispose();
    }

    @Override
    public boolean isDisposed() {
        return subscription.isDisposed();
    }
}
