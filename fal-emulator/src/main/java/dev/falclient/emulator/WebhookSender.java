package dev.falclient.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import tools.jackson.databind.node.ObjectNode;

/**
 * The emulator as the sender of fal's webhooks: its Ed25519 signing key (made at start, published as a JWKS at
 * {@link FalEmulator#jwksUrl()}), how failed deliveries are retried, the armed {@link WebhookFault}s and the record of
 * every delivery attempt. Deliveries happen only when the emulator was built with
 * {@link FalEmulator.Builder#deliverWebhooks(boolean)}; signing works either way.
 *
 * <p>Usage:
 * <pre>{@code
 * emu.webhookSender().retries(3, Duration.ofMillis(20));
 * emu.webhookSender().fault().copies(2);                       // the next delivery arrives twice
 * Map<String, String> headers = emu.webhookSender().sign(requestId, body); // to test a receiver by hand
 * }</pre>
 */
public final class WebhookSender {

    private static final int MAX_RECORDED = 10_000;

    private final WebhookSigner signer = new WebhookSigner();
    private final ConcurrentLinkedQueue<WebhookFault> faults = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<WebhookAttempt> attempts = new ArrayDeque<>();
    private volatile int retries = 10;
    private volatile Duration firstRetryDelay = Duration.ofMillis(100);

    WebhookSender() {
    }

    /**
     * How a delivery the receiver does not accept (no answer, or not 2xx) is retried: fal retries 10 times over
     * about 2 hours; the emulator by default 10 times, from 100 ms, doubling up to 16 times the first delay.
     */
    public WebhookSender retries(int retries, Duration firstRetryDelay) {
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0");
        }
        if (firstRetryDelay == null || firstRetryDelay.isNegative() || firstRetryDelay.isZero()) {
            throw new IllegalArgumentException("firstRetryDelay must be positive");
        }
        this.retries = retries;
        this.firstRetryDelay = firstRetryDelay;
        return this;
    }

    /** Arms a fault for the next delivery (see {@link WebhookFault#times(int)}); faults queue up in order. */
    public WebhookFault fault() {
        WebhookFault fault = new WebhookFault();
        faults.add(fault);
        return fault;
    }

    /** The four {@code X-Fal-Webhook-*} headers fal would send with {@code body}, signed now with the current key. */
    public Map<String, String> sign(String requestId, byte[] body) {
        return sign(requestId, body, Instant.now());
    }

    /** The four headers of {@code body}, signed with the current key as if sent at {@code timestamp}. */
    public Map<String, String> sign(String requestId, byte[] body, Instant timestamp) {
        return signer.headers(Objects.requireNonNull(requestId, "requestId"),
                Objects.requireNonNull(timestamp, "timestamp").getEpochSecond(), Objects.requireNonNull(body, "body"));
    }

    /** Replaces the signing key (fal rotating its keys): the JWKS then publishes only the new key. */
    public void rotateKey() {
        signer.rotate();
    }

    /** Every POST of a delivery and its answer, oldest first (bounded to the newest 10,000). */
    public List<WebhookAttempt> attempts() {
        synchronized (attempts) {
            return List.copyOf(attempts);
        }
    }

    /** Forgets armed faults and recorded attempts; keeps the key and the retry settings. */
    void clear() {
        faults.clear();
        synchronized (attempts) {
            attempts.clear();
        }
    }

    ObjectNode jwks() {
        return signer.jwks();
    }

    WebhookSigner signer() {
        return signer;
    }

    int retries() {
        return retries;
    }

    Duration firstRetryDelay() {
        return firstRetryDelay;
    }

    WebhookFault.Plan nextPlan() {
        for (WebhookFault fault : faults) {
            WebhookFault.Plan plan = fault.tryConsume();
            if (plan != null) {
                return plan;
            }
            faults.remove(fault);
        }
        return WebhookFault.Plan.NORMAL;
    }

    void record(WebhookAttempt attempt) {
        synchronized (attempts) {
            attempts.addLast(attempt);
            while (attempts.size() > MAX_RECORDED) {
                attempts.pollFirst();
            }
        }
    }
}
