package dev.falclient.spring.autoconfigure.proxy;

import dev.falclient.spring.proxy.FalProxyRequest;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** What the proxy does with a call: forward it to fal (or the configured stand-in), or answer it itself. */
sealed interface ProxyDecision {

    /**
     * @param upstream where the call goes: the configured base URL of the target's host, with the target's path and
     *                 query
     * @param request  the checked call
     * @param run      whether it goes to the run host, whose answers may take as long as a model runs
     * @param token    whether it asks for a short-lived token (realtime), whose body the proxy must check with
     *                 {@link ProxyTargets#checkToken(byte[])} before sending it
     */
    record Forward(URI upstream, FalProxyRequest request, boolean run, boolean token) implements ProxyDecision {
    }

    /**
     * @param status HTTP status of the answer (400, 403, 413, 500 or 502)
     * @param error  a stable code, e.g. {@code target_not_allowed}
     * @param detail what was wrong and what to do
     */
    record Reject(int status, String error, String detail) implements ProxyDecision {

        static Reject tooLarge(long maxBodySize) {
            return new Reject(413, "body_too_large", "The request body is larger than " + maxBodySize
                    + " bytes (fal.max-in-memory-size); upload files to fal's storage and send their URLs instead");
        }

        /** {@code {"error": ..., "detail": ...}}; fal's clients show {@code detail}. */
        String json() {
            Map<String, String> body = new LinkedHashMap<>();
            body.put("error", error);
            body.put("detail", detail);
            return JsonMapper.shared().writeValueAsString(body);
        }
    }
}
