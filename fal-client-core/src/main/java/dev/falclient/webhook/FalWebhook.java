package dev.falclient.webhook;

import dev.falclient.FalException;
import dev.falclient.internal.json.FalJson;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;

/**
 * A verified webhook delivery: fal's report that a request ended. Made by {@link FalWebhookVerifier}; deduplicate on
 * {@link #requestId()} (fal retries a delivery, and {@link #gatewayRequestId()} may change between attempts).
 *
 * <pre>{@code
 * FalWebhook webhook = verifier.verify(headers, rawBody);
 * if (webhook.ok()) gallery.add(webhook.requestId(), webhook.payload(ImageOutput.class));
 * }</pre>
 *
 * @param requestId        fal's request id
 * @param gatewayRequestId fal's gateway request id; empty when fal sent none
 * @param status           how the request ended
 * @param payload          the output on {@code OK}, fal's error body on {@code ERROR}; a JSON null when fal could
 *                         not serialise it (then {@link #payloadError()} says why)
 * @param error            why the request failed; empty unless {@code ERROR}
 * @param payloadError     why the payload is missing; empty when it is present
 */
public record FalWebhook(String requestId, String gatewayRequestId, FalWebhookStatus status, JsonNode payload,
                         String error, String payloadError) {

    private static final JsonMapper MAPPER = FalJson.defaultMapper();

    /** Checks the request id and status; absent texts read as empty, an absent payload as JSON null. */
    public FalWebhook {
        if (requestId == null || requestId.isBlank()) {
            throw new IllegalArgumentException("requestId must not be blank");
        }
        Objects.requireNonNull(status, "status");
        gatewayRequestId = Objects.requireNonNullElse(gatewayRequestId, "");
        payload = payload == null || payload.isMissingNode() ? NullNode.getInstance() : payload;
        error = Objects.requireNonNullElse(error, "");
        payloadError = Objects.requireNonNullElse(payloadError, "");
    }

    /** Whether the request succeeded. */
    public boolean ok() {
        return status == FalWebhookStatus.OK;
    }

    /**
     * The payload mapped onto {@code type} with a plain Jackson 3 mapper that ignores unknown properties.
     *
     * @throws FalException when the payload is missing (see {@link #payloadError()}) or cannot be mapped
     */
    public <T> T payload(Class<T> type) {
        Objects.requireNonNull(type, "type");
        if (payload.isNull()) {
            throw new FalException("the webhook of request " + requestId + " has no payload"
                    + (payloadError.isEmpty() ? "" : ": " + payloadError) + "; fetch the result with "
                    + "FalClient.result(...) instead", requestId);
        }
        try {
            return MAPPER.treeToValue(payload, type);
        } catch (JacksonException e) {
            throw new FalException("the webhook payload of request " + requestId + " cannot be mapped onto "
                    + type.getName() + ": " + e.getOriginalMessage(), requestId, e);
        }
    }

    /** The failure fal reports, on {@code ERROR}; empty on {@code OK}. */
    public Optional<FalWebhookErrorException> failure() {
        return ok() ? Optional.empty() : Optional.of(new FalWebhookErrorException(requestId, error, payload));
    }
}
