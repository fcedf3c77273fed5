package dev.falclient.spring.proxy;

import java.net.URI;
import java.util.Objects;
import org.springframework.http.HttpHeaders;

/**
 * A call received by the fal proxy, as {@link FalProxyAccessPolicy} sees it: already checked against fal's hosts
 * and {@code fal.proxy.allowed-endpoints}.
 *
 * <pre>{@code boolean allowed = request.endpointId().startsWith("fal-ai/flux/") && request.method().equals("POST");}</pre>
 *
 * @param method     the HTTP method: {@code GET}, {@code POST} or {@code PUT}
 * @param targetUrl  the fal URL the caller named in {@code X-Fal-Target-Url}, e.g.
 *                   {@code https://queue.fal.run/fal-ai/flux/dev}
 * @param endpointId the endpoint id parsed from the target's path ({@code fal-ai/flux/dev}); for a call on a
 *                   submitted request ({@code .../requests/{id}/status}) the app id ({@code fal-ai/flux}); empty for
 *                   storage calls to {@code rest.fal.ai} and the CDN
 * @param headers    the caller's request headers, read-only (including cookies, which are never sent to fal)
 */
public record FalProxyRequest(String method, URI targetUrl, String endpointId, HttpHeaders headers) {

    public FalProxyRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(targetUrl, "targetUrl");
        Objects.requireNonNull(endpointId, "endpointId");
        headers = HttpHeaders.readOnlyHttpHeaders(Objects.requireNonNull(headers, "headers"));
    }

    /** Names the method and target only: the headers may carry the caller's secrets. */
    @Override
    public String toString() {
        return "FalProxyRequest[" + method + " " + targetUrl + ", endpointId=" + endpointId + "]";
    }
}
