package dev.falclient.internal.http;

import dev.falclient.FalClientStats;
import dev.falclient.FalCredentials;
import dev.falclient.FalHttpException;
import dev.falclient.internal.ApiFactory;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/** Counters and last outcomes of a client's HTTP calls. */
final class CallStats {

    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile @Nullable Instant lastSuccess;
    private volatile @Nullable Instant lastFailure;
    private volatile @Nullable Integer lastFailureStatus;
    private volatile @Nullable String lastErrorType;

    void started() {
        inFlight.incrementAndGet();
    }

    void ended() {
        inFlight.decrementAndGet();
    }

    void succeeded() {
        succeeded.incrementAndGet();
        lastSuccess = Instant.now();
    }

    void failed(Throwable error) {
        failed.incrementAndGet();
        lastFailure = Instant.now();
        if (error instanceof FalHttpException http) {
            lastFailureStatus = http.statusCode();
            lastErrorType = http.errorType() != null ? http.errorType() : "http_" + http.statusCode();
        } else {
            lastFailureStatus = null;
            lastErrorType = error.getClass().getSimpleName();
        }
    }

    FalClientStats snapshot(ApiFactory api, Optional<FalCredentials.Credential> credential, String queueUrl) {
        return api.stats(credential.map(FalCredentials.Credential::source).orElse(null),
                credential.map(FalCredentials.Credential::masked).orElse(null), queueUrl,
                inFlight.get(), succeeded.get(), failed.get(), lastSuccess, lastFailure, lastFailureStatus,
                lastErrorType);
    }
}
