package dev.falclient;

import dev.falclient.internal.ApiFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Gives the engine the API types whose constructors are package-private. */
final class ApiObjects implements ApiFactory {

    static final ApiObjects INSTANCE = new ApiObjects();

    private ApiObjects() {
    }

    @Override
    public FalException failure(String message, @Nullable String requestId, @Nullable Throwable cause,
                                boolean possiblySubmitted) {
        return new FalException(message, requestId, cause, possiblySubmitted);
    }

    @Override
    public FalHttpException http(String message, int statusCode, @Nullable String errorType, @Nullable String body,
                                 @Nullable Map<String, List<String>> headers, @Nullable String requestId,
                                 boolean possiblySubmitted) {
        return new FalHttpException(message, statusCode, errorType, body, headers, requestId, possiblySubmitted);
    }

    @Override
    public FalValidationException validation(String message, int statusCode, @Nullable String errorType,
                                             @Nullable String body, @Nullable Map<String, List<String>> headers,
                                             @Nullable String requestId, @Nullable List<FieldError> errors) {
        return new FalValidationException(message, statusCode, errorType, body, headers, requestId, errors);
    }

    @Override
    public FalRateLimitException rateLimit(String message, @Nullable String errorType, @Nullable String body,
                                           @Nullable Map<String, List<String>> headers, @Nullable String requestId,
                                           @Nullable Duration retryAfter) {
        return new FalRateLimitException(message, errorType, body, headers, requestId, retryAfter);
    }

    @Override
    public FalTimeoutException timeout(String message, Duration timeout, @Nullable String requestId,
                                       boolean possiblySubmitted) {
        return new FalTimeoutException(message, timeout, requestId, possiblySubmitted);
    }

    @Override
    public FalTransportException transport(String message, @Nullable String requestId, @Nullable Throwable cause,
                                           boolean possiblySubmitted) {
        return new FalTransportException(message, requestId, cause, possiblySubmitted);
    }

    @Override
    public FalResponseException response(String message, @Nullable String requestId, @Nullable Throwable cause,
                                         boolean possiblySubmitted) {
        return new FalResponseException(message, requestId, cause, possiblySubmitted);
    }

    @Override
    public MissingCredentialsException missingCredentials(FalCredentials credentials) {
        return credentials.missingReason().map(MissingCredentialsException::new)
                .orElseGet(MissingCredentialsException::new);
    }

    @Override
    public FalClientStats stats(@Nullable String credentialSource, @Nullable String maskedKey, String queueUrl,
                                long inFlight, long succeeded, long failed, @Nullable Instant lastSuccess,
                                @Nullable Instant lastFailure, @Nullable Integer lastFailureStatus,
                                @Nullable String lastErrorType) {
        return new FalClientStats(credentialSource, maskedKey, queueUrl, inFlight, succeeded, failed, lastSuccess,
                lastFailure, lastFailureStatus, lastErrorType);
    }
}
