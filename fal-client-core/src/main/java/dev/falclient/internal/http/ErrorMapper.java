package dev.falclient.internal.http;

import dev.falclient.FalException;
import dev.falclient.FalHttpException;
import dev.falclient.FieldError;
import dev.falclient.internal.ApiFactory;
import dev.falclient.internal.json.Excerpt;
import dev.falclient.internal.json.FalJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import tools.jackson.databind.JsonNode;

/**
 * Turns every failure of a call into the API's exceptions: fal's three error-body families (validation
 * {@code detail[]}, flat {@code detail}, ingress HTML) and the transport's failures.
 */
final class ErrorMapper {

    private final ApiFactory api;
    private final FalJson json;
    private final int maxInMemorySize;

    ErrorMapper(ApiFactory api, FalJson json, int maxInMemorySize) {
        this.api = api;
        this.json = json;
        this.maxInMemorySize = maxInMemorySize;
    }

    FalHttpException httpError(int status, HttpHeaders headers, String body, HttpCall call) {
        JsonNode parsed = json.readObjectOrNull(body);
        JsonNode detail = parsed == null ? null : parsed.get("detail");
        String errorType = FalJson.text(parsed, "error_type");
        if (errorType == null) {
            errorType = headers.getFirst("X-Fal-Error-Type");
        }
        String falRequestId = headers.getFirst("x-fal-request-id");
        String requestId = falRequestId != null ? falRequestId : call.requestId();
        List<FieldError> fieldErrors = fieldErrors(detail);
        String reason = detail == null ? Excerpt.of(body)
                : detail.isString() ? detail.asString() : describe(fieldErrors);
        boolean possiblySubmitted = call.isSubmit() && falRequestId == null && (status == 502 || status == 504);
        String message = "fal answered HTTP " + status + " to " + call.describe() + ": " + reason
                + (possiblySubmitted ? " — the request may have been submitted anyway and may be billed: check "
                        + "before sending it again" : "");
        var headerMap = new LinkedHashMap<String, List<String>>();
        headers.forEach(headerMap::put);
        if (status == 422 && !fieldErrors.isEmpty()) {
            return api.validation(message, status, errorType, body, headerMap, requestId, fieldErrors);
        }
        if (status == 429) {
            String retryAfter = headers.getFirst("Retry-After");
            return api.rateLimit(message, errorType, body, headerMap, requestId,
                    retryAfter == null ? null : RetryPolicy.parseRetryAfter(retryAfter).orElse(null));
        }
        return api.http(message, status, errorType, body, headerMap, requestId, possiblySubmitted);
    }

    /** The call's total deadline passed. A submit may have reached fal in the meantime. */
    FalException deadline(HttpCall call, Duration deadline) {
        return api.timeout("fal did not answer " + call.describe() + " within " + deadline
                + (call.isSubmit() ? " (all attempts); it may still have been received, and may run and be billed: "
                        + "check before sending it again" : " (all attempts)"), deadline, call.requestId(),
                call.isSubmit());
    }

    /** Reply bytes that cannot be understood. fal answered, so a submit was received. */
    FalException unreadable(String what, HttpCall call, Throwable cause) {
        return api.response("fal sent " + what + " in reply to " + call.describe(), call.requestId(), cause,
                call.isSubmit());
    }

    RuntimeException translate(Throwable error, HttpCall call) {
        if (error instanceof FalException || error instanceof ClientClosedException) {
            return (RuntimeException) error;
        }
        if (error instanceof UnreadableReply unreadable) {
            return unreadable(unreadable.getMessage(), call, unreadable.getCause());
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof DataBufferLimitException) {
                return api.response("fal's reply to " + call.describe() + " is larger than the in-memory limit of "
                        + maxInMemorySize + " bytes; raise maxInMemorySize (Spring: fal.max-in-memory-size)",
                        call.requestId(), error, call.isSubmit());
            }
        }
        if (RetryPolicy.neverSent(error)) {
            return api.transport("Could not reach fal for " + call.describe() + ": " + rootMessage(error),
                    call.requestId(), error, false);
        }
        if (RetryPolicy.isTransport(error)) {
            if (call.isSubmit()) {
                return api.transport("Lost the connection to fal after sending " + call.describe() + " ("
                        + rootMessage(error) + "); the request may have been submitted and may be billed: check "
                        + "before sending it again", call.requestId(), error, true);
            }
            return api.transport("Network failure during " + call.describe() + ": " + rootMessage(error),
                    call.requestId(), error, false);
        }
        return api.failure("Call to fal failed: " + call.describe() + ": " + rootMessage(error),
                call.requestId(), error, call.isSubmit());
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static List<FieldError> fieldErrors(JsonNode detail) {
        List<FieldError> errors = new ArrayList<>();
        if (detail == null || detail.isNull()) {
            return errors;
        }
        if (detail.isString()) {
            errors.add(new FieldError(List.of("body"), detail.asString(), "value_error"));
            return errors;
        }
        if (detail.isArray()) {
            for (JsonNode entry : detail) {
                List<String> loc = new ArrayList<>();
                entry.path("loc").forEach(l -> loc.add(l.asString()));
                errors.add(new FieldError(loc, FalJson.text(entry, "msg"), FalJson.text(entry, "type")));
            }
        }
        return errors;
    }

    private static String describe(List<FieldError> errors) {
        if (errors.isEmpty()) {
            return "<no detail>";
        }
        List<String> parts = new ArrayList<>();
        for (FieldError e : errors) {
            parts.add((e.loc().isEmpty() ? "" : String.join(".", e.loc()) + ": ") + e.msg());
        }
        return String.join("; ", parts);
    }
}
