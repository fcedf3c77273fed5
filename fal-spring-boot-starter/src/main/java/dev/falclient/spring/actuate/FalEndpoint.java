package dev.falclient.spring.actuate;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.falclient.AsyncFalClient;
import dev.falclient.FalClientStats;
import dev.falclient.InFlightRequest;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code fal} actuator endpoint ({@code GET /actuator/fal} once exposed): the client's call statistics, the
 * requests it watches right now, and where its key comes from (masked). Read-only on purpose: it has no operation
 * that submits (spends money) or cancels. Like every endpoint but {@code health}, it is not exposed over HTTP until
 * listed in {@code management.endpoints.web.exposure.include}.
 *
 * <pre>{@code management.endpoints.web.exposure.include=health,fal}</pre>
 */
@Endpoint(id = "fal")
public class FalEndpoint {

    private final AsyncFalClient client;

    public FalEndpoint(AsyncFalClient client) {
        this.client = client;
    }

    /** The snapshot served at {@code /actuator/fal}. */
    @ReadOperation
    public FalDescriptor fal() {
        FalClientStats stats = client.stats();
        Credential credential = new Credential(stats.credentialSource().orElse(null), stats.maskedKey().orElse(null));
        Calls calls = new Calls(stats.inFlight(), stats.succeeded(), stats.failed(), stats.lastSuccess().orElse(null),
                stats.lastFailure().orElse(null),
                stats.lastFailureStatus().isPresent() ? stats.lastFailureStatus().getAsInt() : null,
                stats.lastErrorType().orElse(null), stats.lastCallRejectedCredentials());
        List<InFlightRequest> requests = client.inFlight();
        return new FalDescriptor(stats.queueUrl(), credential, calls, requests.size(), requests);
    }

    /**
     * The endpoint's answer.
     *
     * @param queueUrl      the queue base URL in use
     * @param credential    where the key comes from, masked
     * @param calls         HTTP call statistics since the client was created
     * @param inFlightCount how many requests are watched right now
     * @param requests      the watched requests (tracked in the background, or awaited by a caller), oldest first
     */
    public record FalDescriptor(String queueUrl, Credential credential, Calls calls, int inFlightCount,
                                List<InFlightRequest> requests) {
    }

    /**
     * @param source where the key resolves from ({@code FAL_KEY}, {@code fal.key}, ...); absent when there is none
     * @param key    the masked key id; never the key itself
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Credential(@Nullable String source, @Nullable String key) {
    }

    /**
     * @param inFlight                    HTTP calls running now
     * @param succeeded                   calls that succeeded
     * @param failed                      calls that failed after retries
     * @param lastSuccess                 when the last call succeeded
     * @param lastFailure                 when the last call failed
     * @param lastFailureStatus           HTTP status of the last failure
     * @param lastErrorType               fal's error type of the last failure
     * @param lastCallRejectedCredentials whether the latest outcome was a 401 or 403
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Calls(long inFlight, long succeeded, long failed, @Nullable Instant lastSuccess,
                        @Nullable Instant lastFailure, @Nullable Integer lastFailureStatus,
                        @Nullable String lastErrorType, boolean lastCallRejectedCredentials) {
    }
}
