package dev.falclient.internal.http;

import org.springframework.http.HttpHeaders;

/**
 * A successful answer: its bytes and headers.
 *
 * @param body    the body, empty when there was none
 * @param headers the response headers
 */
public record Reply(byte[] body, HttpHeaders headers) {

    /** fal's request id header, or {@code null}. */
    public String falRequestId() {
        return headers.getFirst("x-fal-request-id");
    }
}
