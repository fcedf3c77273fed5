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
import org.jspecify.annotations.Nullable;

/**
 * Creates the API types whose constructors are not public (the exceptions that carry protocol details, the stats
 * snapshot). Implemented in {@code dev.falclient} and handed to the engine when a client is built.
 */
public interface ApiFactory {

    FalException failure(String message, @Nullable String requestId, @Nullable Throwable cause,
                         boolean possiblySubmitted);

    FalHttpException http(String message, int statusCode, @Nullable String errorType, @Nullable String body,
                          @Nullable Map<String, List<String>> headers, @Nullable String requestId,
                          boolean possiblySubmitted);

    FalValidationException validation(String message, int statusCode, @Nullable String errorType,
                                      @Nullable String body, @Nullable Map<String, List<String>> headers,
                                      @Nullable String requestId, @Nullable List<FieldError> errors);

    FalRateLimitException rateLimit(String message, @Nullable String errorType, @Nullable String body,
                                    @Nullable Map<String, List<String>> headers, @Nullable String requestId,
                                    @Nullable Duration retryAfter);

    FalTimeoutException timeout(String message, Duration timeout, @Nullable String requestId,
                                boolean possiblySubmitted);

    FalTransportException transport(String message, @Nullable String requestId, @Nullable Throwable cause,
                                    boolean possiblySubmitted);

    FalResponseException response(String message, @Nullable String requestId, @Nullable Throwable cause,
                                  boolean possiblySubmitted);

    /** {@code credentials} found no key; the exception carries their {@code missingReason()}, if any. */
    MissingCredentialsException missingCredentials(FalCredentials credentials);

    FalClientStats stats(@Nullable String credentialSource, @Nullable String maskedKey, String queueUrl,
                         long inFlight, long succeeded, long failed, @Nullable Instant lastSuccess,
                         @Nullable Instant lastFailure, @Nullable Integer lastFailureStatus,
                         @Nullable String lastErrorType);
}
