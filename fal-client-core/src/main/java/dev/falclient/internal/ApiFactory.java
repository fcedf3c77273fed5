package dev.falclient.internal;

import dev.falclient.FalClientStats;
import dev.falclient.FalCredentials;
import dev.falclient.FalException;
import dev.falclient.FalHttpException;
import dev.falclient.FalRateLimitException;
import dev.falclient.FalResponseException;
import dev.falclient.FalTimeoutException;
import dev.falclient.FalTransportException;
import dev.falclient.FalValidationException;
import dev.falclient.FieldError;
import dev.falclient.MissingCredentialsException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Creates the API types whose constructors are not public (the exceptions that carry protocol details, the stats
 * snapshot). Implemented in {@code dev.falclient} and handed to the engine when a client is built.
 */
public interface ApiFactory {

    FalException failure(String message, String requestId, Throwable cause, boolean possiblySubmitted);

    FalHttpException http(String message, int statusCode, String errorType, String body,
                          Map<String, List<String>> headers, String requestId, boolean possiblySubmitted);

    FalValidationException validation(String message, int statusCode, String errorType, String body,
                                      Map<String, List<String>> headers, String requestId, List<FieldError> errors);

    FalRateLimitException rateLimit(String message, String errorType, String body, Map<String, List<String>> headers,
                                    String requestId, Duration retryAfter);

    FalTimeoutException timeout(String message, Duration timeout, String requestId, boolean possiblySubmitted);

    FalTransportException transport(String message, String requestId, Throwable cause, boolean possiblySubmitted);

    FalResponseException response(String message, String requestId, Throwable cause, boolean possiblySubmitted);

    /** {@code credentials} found no key; the exception carries their {@code missingReason()}, if any. */
    MissingCredentialsException missingCredentials(FalCredentials credentials);

    FalClientStats stats(String credentialSource, String maskedKey, String queueUrl, long inFlight, long succeeded,
                         long failed, Instant lastSuccess, Instant lastFailure, Integer lastFailureStatus,
                         String lastErrorType);
}
