package dev.falclient.internal.http;

import dev.falclient.FalException;
import dev.falclient.FalHttpException;
import dev.falclient.FieldError;
import dev.falclient.internal.ApiFactory;
import dev.falclient.internal.json.Excerpt;
import dev.falclient.internal.json.FalJson;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import tools.jackson.databind.JsonNode;

/**
 * Turns every failure of a call into the API's exceptions: fal's three error-body families (validation
 * {@code detail[]}, flat {@code detail}, ingress HTML) and the transport's failures.
 */
final class ErrorMapper {

    /** Response headers whose values are credentials whatever they look like. */
    private static final Pattern SECRET_HEADER = Pattern.compile("(?i)(proxy-)?authorization|.*[_-]key");
    private static final String REDACTED = "[REDACTED]";
    private static final int DESCRIBED = 4_096;

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
        String falRequestId = headers.getFirst("x-fal-request-id");
        List<FieldError> fieldErrors = fieldErrors(detail);
        boolean possiblySubmitted = call.isSubmit() && falRequestId == null && (status == 502 || status == 504);
        // the meaning comes before fal's words, so that it survives the message cap
        String message = Excerpt.message("fal answered HTTP " + status + " to " + nameOf(call) + ": "
                + (status == 404 ? notFound(call) : "") + reason(body, detail, fieldErrors)
                + (possiblySubmitted ? " — the request may have been submitted anyway and may be billed: check "
                        + "before sending it again" : ""));
        return httpError(status, headers, body, parsed, fieldErrors, message, call, possiblySubmitted);
    }

    /**
     * An error event in the middle of a streaming run ({@code data} is fal's error body, or text): the exception
     * fal's error answer would have given. The stream was answered 200, so the status is the one fal documents for
     * the {@code error_type} (422 for field errors, else 500).
     */
    FalHttpException eventError(String data, HttpHeaders answerHeaders, HttpCall call) {
        JsonNode parsed = json.readObjectOrNull(data);
        JsonNode detail = parsed == null ? null : parsed.get("detail");
        List<FieldError> fieldErrors = fieldErrors(detail);
        String errorType = FalJson.text(parsed, "error_type");
        int status = detail != null && detail.isArray() ? 422 : ErrorTypes.status(errorType);
        String message = Excerpt.message("fal sent an error event during " + nameOf(call) + ": "
                + reason(data, detail, fieldErrors)
                + " — the events before it were delivered; the run may be billed");
        return httpError(status, answerHeaders, data, parsed, fieldErrors, message, call, false);
    }

    private static String reason(String body, JsonNode detail, List<FieldError> fieldErrors) {
        return Excerpt.of(detail == null || detail.isNull() ? body
                : detail.isString() ? detail.asString()
                : detail.isArray() ? describe(fieldErrors) : detail.toString());
    }

    private FalHttpException httpError(int status, HttpHeaders headers, String body, JsonNode parsed,
                                       List<FieldError> fieldErrors, String message, HttpCall call,
                                       boolean possiblySubmitted) {
        String errorType = FalJson.text(parsed, "error_type");
        if (errorType == null) {
            errorType = headers.getFirst("X-Fal-Error-Type");
        }
        String falRequestId = headers.getFirst("x-fal-request-id");
        String requestId = falRequestId != null ? falRequestId : call.requestId();
        // a proxy that echoes the request would otherwise hand the key to whoever logs body() or headers()
        String safeBody = Excerpt.redact(body);
        var headerMap = new LinkedHashMap<String, List<String>>();
        headers.forEach((name, values) -> headerMap.put(name, SECRET_HEADER.matcher(name).matches()
                ? List.of(REDACTED) : values.stream().map(Excerpt::redact).toList()));
        if (status == 422 && !fieldErrors.isEmpty()) {
            return api.validation(message, status, errorType, safeBody, headerMap, requestId, fieldErrors);
        }
        if (status == 429) {
            String retryAfter = headers.getFirst("Retry-After");
            return api.rateLimit(message, errorType, safeBody, headerMap, requestId,
                    retryAfter == null ? null : RetryPolicy.parseRetryAfter(retryAfter).orElse(null));
        }
        return api.http(message, status, errorType, safeBody, headerMap, requestId, possiblySubmitted);
    }

    /**
     * What a 404 means for the call. For a request call the id is the suspect, and fal's own text ("Request not
     * found") does not say that results expire.
     */
    private static String notFound(HttpCall call) {
        return switch (call.kind()) {
            case SUBMIT, RUN -> "the endpoint id or its sub-path is probably wrong. fal said: ";
            case STREAM -> "the endpoint id or path is probably wrong, or the endpoint does not stream (not every "
                    + "endpoint has a /stream path; use run or subscribe). fal said: ";
            case STORAGE, UPLOAD, REALTIME_TOKEN -> "";
            case STATUS, STATUS_STREAM, RESULT, CANCEL -> "fal does not know this request: the request id is "
                    + "wrong, belongs to another endpoint, or its result expired (fal keeps queue results about 1 "
                    + "hour, about 6 minutes for results of 10 KB or more unless payload storage is on). fal said: ";
        };
    }

    /** The call's total deadline passed. A submit may have reached fal in the meantime. */
    FalException deadline(HttpCall call, Duration deadline) {
        return api.timeout("fal did not answer " + nameOf(call) + " within " + deadline
                + (call.isSubmit() ? " (all attempts); it may still have been received, and may run and be billed: "
                        + "check before sending it again" : " (all attempts)"), deadline, call.requestId(),
                call.isSubmit());
    }

    /** A streaming run that fal answered went on past its total deadline. */
    FalException streamDeadline(HttpCall call, Duration deadline) {
        return api.timeout("The stream of " + nameOf(call) + " did not end within " + deadline
                + "; stopped reading it (fal may still finish, and bill, the run). Raise the stream's timeout for "
                + "longer runs", deadline, call.requestId(), true);
    }

    /** Reply bytes that cannot be understood. fal answered, so a submit was received. */
    FalException unreadable(String what, HttpCall call, @Nullable Throwable cause) {
        return api.response(Excerpt.message("fal sent " + what + " in reply to " + nameOf(call)), call.requestId(),
                cause, call.isSubmit());
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
                return api.response(Excerpt.message("fal's reply to " + nameOf(call)
                        + " is larger than the in-memory limit of " + maxInMemorySize
                        + " bytes; raise maxInMemorySize (Spring: fal.max-in-memory-size)"),
                        call.requestId(), error, call.isSubmit());
            }
        }
        if (RetryPolicy.neverSent(error)) {
            return api.transport(Excerpt.message("Could not reach fal for " + nameOf(call) + ": "
                    + rootMessage(error)), call.requestId(), error, false);
        }
        if (RetryPolicy.isTransport(error)) {
            if (call.isSubmit()) {
                return api.transport(Excerpt.message("Lost the connection to fal after sending " + nameOf(call)
                        + " (" + rootMessage(error) + "); the request may have been submitted and may be billed: "
                        + "check before sending it again"), call.requestId(), error, true);
            }
            return api.transport(Excerpt.message("Network failure during " + nameOf(call) + ": "
                    + rootMessage(error)), call.requestId(), error, false);
        }
        return api.failure(Excerpt.message("Call to fal failed: " + nameOf(call) + ": " + rootMessage(error)),
                call.requestId(), error, call.isSubmit());
    }

    /** The innermost cause; its message may quote server bytes, so it is excerpted like a body. */
    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + Excerpt.of(root.getMessage());
    }

    /**
     * The call by what it is, e.g. {@code the status call of request X of endpoint fal-ai/flux (GET https://…)}. The
     * URL loses its query (a webhook URL may carry a token) and user info (a gateway URL may carry a password).
     */
    private static String nameOf(HttpCall call) {
        String endpoint = call.endpointId();
        String what = switch (call.kind()) {
            case SUBMIT -> "the submit";
            case RUN -> "the run";
            case STREAM -> "the streaming run";
            case STATUS -> "the status call";
            case STATUS_STREAM -> "the status stream";
            case RESULT -> "the result call";
            case CANCEL -> "the cancel call";
            case STORAGE -> "the storage call";
            case REALTIME_TOKEN -> "the realtime token call";
            case UPLOAD -> "the upload";
        };
        String request = call.requestId() == null ? "" : " of request " + call.requestId();
        return what + request + (endpoint == null ? "" : " of endpoint " + endpoint)
                + " (" + call.method() + " " + Excerpt.of(safeUrl(call.uri())) + ")";
    }

    private static String safeUrl(URI uri) {
        if (uri == null) {
            return "<no URL>";
        }
        if (uri.getHost() == null) {
            return uri.getScheme() == null ? "<relative URL>" : uri.getScheme() + ":…";
        }
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
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
            // shapes other than fal's documented one must still end in the HTTP error, not in a Jackson exception
            for (JsonNode entry : detail) {
                if (!entry.isObject()) {
                    errors.add(new FieldError(List.of(), asText(entry), null));
                    continue;
                }
                List<String> loc = new ArrayList<>();
                entry.path("loc").forEach(l -> loc.add(asText(l)));
                errors.add(new FieldError(loc, FalJson.text(entry, "msg"), FalJson.text(entry, "type")));
            }
        }
        return errors;
    }

    private static String asText(JsonNode node) {
        return node.isValueNode() ? node.asString() : node.toString();
    }

    private static String describe(List<FieldError> errors) {
        if (errors.isEmpty()) {
            return "<no detail>";
        }
        StringBuilder text = new StringBuilder();
        for (FieldError e : errors) {
            // the message keeps a few hundred characters: thousands of entries need not be joined
            if (text.length() > DESCRIBED) {
                break;
            }
            text.append(text.isEmpty() ? "" : "; ")
                    .append(e.loc().isEmpty() ? "" : String.join(".", e.loc()) + ": ").append(e.msg());
        }
        return text.toString();
    }
}
