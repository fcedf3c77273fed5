package dev.falclient.webhook;

import dev.falclient.FalException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A webhook delivery that must not be trusted, or that could not be checked. {@link #reason()} names the check that
 * failed; a receiver answers {@link Reason#MALFORMED_BODY} with 400, {@link Reason#JWKS_UNAVAILABLE} with 503 (fal
 * retries later) and every other reason with 401.
 *
 * <pre>{@code
 * try {
 *     FalWebhook webhook = verifier.verify(headers, body);
 * } catch (FalWebhookVerificationException e) {
 *     return e.reason() == Reason.MALFORMED_BODY ? 400 : 401;
 * }
 * }</pre>
 */
public class FalWebhookVerificationException extends FalException {

    private static final long serialVersionUID = 1L;

    /** The check a delivery failed. */
    public enum Reason {
        /** One of the four {@code X-Fal-Webhook-*} headers is missing or blank. */
        MISSING_HEADER,
        /** A header is present but unreadable: the timestamp is no Unix time, or the signature is no hex. */
        INVALID_HEADER,
        /** The timestamp is further from now than the tolerance (a replay, or a badly wrong clock). */
        STALE_TIMESTAMP,
        /** No key of fal's JWKS verifies the signature, even after fetching the keys again. */
        BAD_SIGNATURE,
        /** fal's JWKS holds no Ed25519 key, so no signature can be checked. */
        UNKNOWN_KEY,
        /** The signature is valid but the body is no webhook payload (no JSON object, no request id, no status). */
        MALFORMED_BODY,
        /** fal's JWKS could not be fetched; the delivery may be genuine, so it should be retried later. */
        JWKS_UNAVAILABLE
    }

    private final Reason reason;

    FalWebhookVerificationException(Reason reason, String message, @Nullable String requestId,
                                    @Nullable Throwable cause) {
        super(message, requestId, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Which check failed. */
    public Reason reason() {
        return reason;
    }
}
