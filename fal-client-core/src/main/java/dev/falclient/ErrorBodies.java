package dev.falclient;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.springframework.http.HttpHeaders;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** Turns fal's three error-body families (validation {@code detail[]}, flat {@code detail}, ingress HTML) into exceptions. */
final class ErrorBodies {

    private ErrorBodies() {
    }

    static FalHttpException toException(int status, HttpHeaders headers, String body, FalTransport.Call call,
                                        FalClientSettings settings) {
        JsonNode json = tryParse(body, settings);
        JsonNode detail = json == null ? null : json.get("detail");
        String errorType = StatusParser.text(json, "error_type");
        if (errorType == null) {
            errorType = headers.getFirst("X-Fal-Error-Type");
        }
        String requestId = headers.getFirst("x-fal-request-id");
        if (requestId == null) {
            requestId = call.requestId();
        }
        List<FieldError> fieldErrors = fieldErrors(detail);
        String reason = detail == null ? Excerpt.of(body)
                : detail.isString() ? detail.asString() : describe(fieldErrors);
        boolean ingress = headers.getFirst("x-fal-request-id") == null;
        boolean possiblySubmitted = call.post() && ingress && (status == 502 || status == 504);
        String message = "fal answered HTTP " + status + " to " + call.describe() + ": " + reason
                + (possiblySubmitted ? " — the request may have been submitted anyway and may be billed: check "
                        + "before sending it again" : "");
        var headerMap = new LinkedHashMap<String, List<String>>();
        headers.forEach(headerMap::put);
        if (status == 422 && !fieldErrors.isEmpty()) {
            return new FalValidationException(message, status, errorType, body, headerMap, requestId, fieldErrors);
        }
        if (status == 429) {
            return new FalRateLimitException(message, errorType, body, headerMap, requestId,
                    headers.getFirst("Retry-After") == null ? null
                            : RetryRules.parseRetryAfter(headers.getFirst("Retry-After")).orElse(null));
        }
        return new FalHttpException(message, status, errorType, body, headerMap, requestId, possiblySubmitted);
    }

    private static JsonNode tryParse(String body, FalClientSettings settings) {
        if (body.isBlank()) {
            return null;
        }
        try {
            JsonNode node = settings.mapper().readTree(body);
            return node.isObject() ? node : null;
        } catch (JacksonException notJson) {
            return null;
        }
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
                errors.add(new FieldError(loc, StatusParser.text(entry, "msg"), StatusParser.text(entry, "type")));
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
