package dev.falclient;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of a client's HTTP call outcomes and credential state, for health checks and dashboards. Never
 * contains the key itself.
 *
 * <pre>{@code
 * FalClientStats stats = fal.stats();
 * if (stats.lastFailureStatus().orElse(0) == 401) alert("fal key rejected");
 * }</pre>
 */
public final class FalClientStats {

    private final @Nullable String credentialSource;
    private final @Nullable String maskedKey;
    private final String queueUrl;
    private final long inFlight;
    private final long succeeded;
    private final long failed;
    private final @Nullable Instant lastSuccess;
    private final @Nullable Instant lastFailure;
    private final @Nullable Integer lastFailureStatus;
    private final @Nullable String lastErrorType;

    FalClientStats(@Nullable String credentialSource, @Nullable String maskedKey, String queueUrl, long inFlight,
                   long succeeded, long failed, @Nullable Instant lastSuccess, @Nullable Instant lastFailure,
                   @Nullable Integer lastFailureStatus, @Nullable String lastErrorType) {
        this.credentialSource = credentialSource;
        this.maskedKey = maskedKey;
        this.queueUrl = queueUrl;
        this.inFlight = inFlight;
        this.succeeded = succeeded;
        this.failed = failed;
        this.lastSuccess = lastSuccess;
        this.lastFailure = lastFailure;
        this.lastFailureStatus = lastFailureStatus;
        this.lastErrorType = lastErrorType;
    }

    /** Where the key currently resolves from ({@code key}, {@code supplier}, {@code FAL_KEY}, ...); empty: no key. */
    public Optional<String> credentialSource() {
        return Optional.ofNullable(credentialSource);
    }

    /** The masked key id (e.g. {@code 1a2b…}); empty when there is no key. */
    public Optional<String> maskedKey() {
        return Optional.ofNullable(maskedKey);
    }

    /** The configured queue base URL. */
    public String queueUrl() {
        return queueUrl;
    }

    /** HTTP calls currently running. */
    public long inFlight() {
        return inFlight;
    }

    /** HTTP calls that succeeded since the client was created. */
    public long succeeded() {
        return succeeded;
    }

    /** HTTP calls that failed (after retries) since the client was created. */
    public long failed() {
        return failed;
    }

    /** When the last call succeeded. */
    public Optional<Instant> lastSuccess() {
        return Optional.ofNullable(lastSuccess);
    }

    /** When the last call failed. */
    public Optional<Instant> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }

    /** HTTP status of the last failure, when it was an HTTP error. */
    public OptionalInt lastFailureStatus() {
        return lastFailureStatus == null ? OptionalInt.empty() : OptionalInt.of(lastFailureStatus);
    }

    /** fal's error type of the last failure, or the exception's simple name for transport errors. */
    public Optional<String> lastErrorType() {
        return Optional.ofNullable(lastErrorType);
    }

    /** Whether the most recent outcome is a 401 or 403 (the key is wrong or lacks access). */
    public boolean lastCallRejectedCredentials() {
        boolean failureIsLatest = lastFailure != null && (lastSuccess == null || lastFailure.isAfter(lastSuccess));
        return failureIsLatest && lastFailureStatus != null && (lastFailureStatus == 401 || lastFailureStatus == 403);
    }

    @Override
    public String toString() {
        return "FalClientStats[credentialSource=" + credentialSource + ", key=" + maskedKey + ", queueUrl=" + queueUrl
                + ", inFlight=" + inFlight + ", succeeded=" + succeeded + ", failed=" + failed
                + ", lastSuccess=" + lastSuccess + ", lastFailure=" + lastFailure
                + ", lastFailureStatus=" + lastFailureStatus + ", lastErrorType=" + lastErrorType + "]";
    }
}
