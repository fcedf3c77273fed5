package dev.falclient;

/**
 * Identifies one request on fal: the endpoint it was sent to and fal's request id. Passed to
 * {@link FalRequestListener} callbacks.
 *
 * <pre>{@code repository.save(request.endpointId(), request.requestId());}</pre>
 *
 * @param endpointId the endpoint id as given by the caller, e.g. {@code fal-ai/flux/dev}
 * @param requestId  fal's request id
 */
public record FalRequest(String endpointId, String requestId) {
}
