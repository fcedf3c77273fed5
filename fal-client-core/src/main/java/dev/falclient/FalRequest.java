package dev.falclient;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One request on fal: the endpoint it was sent to, fal's request id, and the status, response and cancel URLs fal
 * returned for it. Store it (it serialises to JSON with Jackson) and resume the request later, in any process, with
 * {@link FalClient#handle(FalRequest)}: fal's API reference says to use the returned URLs rather than rebuild them,
 * and rebuilt URLs fail on some sub-path endpoints.
 *
 * <pre>{@code
 * FalRequest request = fal.submit("fal-ai/flux/dev", input).request();
 * repository.save(jsonMapper.writeValueAsString(request));
 * // later, anywhere:
 * JsonNode out = fal.handle(jsonMapper.readValue(saved, FalRequest.class)).get();
 * }</pre>
 *
 * @param endpointId  the endpoint id as given by the caller, e.g. {@code fal-ai/flux/dev}
 * @param requestId   fal's request id
 * @param statusUrl   the status URL fal returned; empty when unknown (the client then derives it from the ids)
 * @param responseUrl the result URL fal returned; empty when unknown
 * @param cancelUrl   the cancel URL fal returned; empty when unknown
 */
public record FalRequest(String endpointId, String requestId, @Nullable String statusUrl,
                         @Nullable String responseUrl, @Nullable String cancelUrl) {

    /** Checks the ids; {@code null} URLs read as empty (unknown). */
    public FalRequest {
        if (endpointId == null || endpointId.isBlank()) {
            throw new IllegalArgumentException("endpointId must not be blank");
        }
        if (requestId == null || requestId.isBlank()) {
            throw new IllegalArgumentException("requestId must not be blank");
        }
        endpointId = endpointId.trim();
        requestId = requestId.trim();
        statusUrl = Objects.requireNonNullElse(statusUrl, "");
        responseUrl = Objects.requireNonNullElse(responseUrl, "");
        cancelUrl = Objects.requireNonNullElse(cancelUrl, "");
    }

    /** A request known only by its ids (stored elsewhere, or from a webhook): the client derives its URLs. */
    public FalRequest(String endpointId, String requestId) {
        this(endpointId, requestId, "", "", "");
    }

    /** Whether all three of fal's URLs are known. */
    public boolean hasUrls() {
        return !statusUrl.isEmpty() && !responseUrl.isEmpty() && !cancelUrl.isEmpty();
    }
}
