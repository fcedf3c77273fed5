package dev.falclient;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * fal rejected the input (HTTP 422). {@link #errors()} holds each {@code detail[]} entry; a plain-string
 * {@code detail} becomes one entry located at {@code ["body"]}.
 *
 * <pre>{@code
 * catch (FalValidationException e) {
 *     e.errors().forEach(err -> form.reject(err.field(), err.msg()));
 * }
 * }</pre>
 */
public class FalValidationException extends FalHttpException {

    private final List<FieldError> errors;

    FalValidationException(String message, int statusCode, @Nullable String errorType, @Nullable String body,
                           @Nullable Map<String, List<String>> headers, @Nullable String requestId,
                           @Nullable List<FieldError> errors) {
        super(message, statusCode, errorType, body, headers, requestId, false);
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /** The field errors, never empty for a fal validation response. */
    public List<FieldError> errors() {
        return errors;
    }

    /** The errors whose location ends with the given field name. */
    public List<FieldError> errorsFor(String field) {
        return errors.stream().filter(e -> e.field().equals(field)).toList();
    }
}
