package dev.falclient.sample;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The sample's own settings ({@code sample.*}); the fal client itself is configured with the starter's
 * {@code fal.*} properties.
 *
 * @param endpointId     the fal endpoint id that {@code POST /generations} submits to
 * @param editEndpointId the image-to-image endpoint id that {@code POST /edits} runs on an uploaded image
 * @param fal        which fal to talk to
 * @param completion how the sample learns that a generation ended: {@code tracking} (the client watches it) or
 *                   {@code webhook} (fal's signed webhook reaches the starter's receiver; needs
 *                   {@code fal.webhook.enabled} and {@code fal.webhook.url}, see the {@code webhook} profile)
 * @param demo       the demo generation run at startup
 * @param emulator   the in-process emulator used in emulator mode
 * @param events     the per-request event replay behind {@code GET /generations/{id}/events}
 * @param accessToken when set, every API call must carry it ({@code X-Access-Token} header or {@code sample_token}
 *                    cookie; the page asks for it): set it before exposing the app beyond {@code 127.0.0.1}
 * @param limits      how many generations may run at once
 * @param realtime    the realtime page's WebSocket ({@code /realtime/ws}, relayed to fal's realtime API)
 */
@ConfigurationProperties("sample")
public record SampleProperties(
        @DefaultValue("fal-ai/fast-sdxl") String endpointId,
        @DefaultValue("fal-ai/flux/dev/image-to-image") String editEndpointId,
        @DefaultValue Fal fal,
        @DefaultValue("tracking") Completion completion,
        @DefaultValue Demo demo,
        @DefaultValue Emulator emulator,
        @DefaultValue Events events,
        @Nullable String accessToken,
        @DefaultValue Limits limits,
        @DefaultValue Realtime realtime) {

    public SampleProperties {
        if (endpointId == null || endpointId.isBlank()) {
            throw new IllegalArgumentException("sample.endpoint-id must not be blank");
        }
        if (editEndpointId == null || editEndpointId.isBlank()) {
            throw new IllegalArgumentException("sample.edit-endpoint-id must not be blank");
        }
    }

    /** How the sample learns that a generation ended. */
    public enum Completion {
        /** The client watches each submitted request until it completes (status stream or polling). */
        TRACKING,
        /** Nothing is watched: fal POSTs the outcome to {@code fal.webhook.url}, the starter verifies it. */
        WEBHOOK
    }

    /**
     * @param mode {@code auto} (default: emulator unless a fal key is configured), {@code emulator} or {@code live}
     */
    public record Fal(@DefaultValue("auto") FalMode mode) {
    }

    /**
     * @param enabled            whether a demo generation runs at startup
     * @param prompt             its prompt
     * @param backgroundRequests requests submitted first so that the demo waits in the queue (emulator mode only)
     * @param timeout            how long the demo waits for its outcome before giving up (it never blocks startup)
     * @param inLiveMode         whether the demo also runs against real fal (off: it would spend credits)
     */
    public record Demo(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("a lighthouse on a cliff at sunset, oil painting") String prompt,
            @DefaultValue("3") int backgroundRequests,
            @DefaultValue("90s") Duration timeout,
            @DefaultValue("false") boolean inLiveMode) {
    }

    /**
     * @param port           port of the emulator (0: a free one)
     * @param workers        workers of the sample's endpoint (1 makes queue positions visible)
     * @param processingTime how long each generation runs
     * @param logLines       log lines emitted while a generation runs
     */
    public record Emulator(
            @DefaultValue("0") int port,
            @DefaultValue("1") int workers,
            @DefaultValue("3s") Duration processingTime,
            @DefaultValue({"Loading model weights", "Encoding prompt", "Denoising step 10/30", "Denoising step 20/30",
                    "Decoding image"}) List<String> logLines) {
    }

    /**
     * @param replaySize        events kept per request for late subscribers
     * @param retention         how long a finished request's events are kept
     * @param maxAge            how long an unfinished request's events are kept (a request nobody tracks)
     * @param maxRequests       most requests whose events are kept at once
     * @param heartbeat         interval of SSE keep-alive comments
     * @param maxStreamDuration longest time one {@code /events} stream stays open
     */
    public record Events(
            @DefaultValue("256") int replaySize,
            @DefaultValue("10m") Duration retention,
            @DefaultValue("2h") Duration maxAge,
            @DefaultValue("1000") int maxRequests,
            @DefaultValue("15s") Duration heartbeat,
            @DefaultValue("30m") Duration maxStreamDuration) {
    }

    /**
     * Bounds on what callers can start, which also bound the status load on fal (each active generation is watched
     * by one status stream, or polled at {@code fal.poll-interval} beyond {@code fal.pool.max-status-streams}).
     *
     * @param maxActive           generations running at once in the whole app; beyond it a submit answers 503
     * @param maxActivePerSession generations running at once per browser; beyond it a submit answers 429
     * @param retryAfter          the {@code Retry-After} of those answers
     */
    public record Limits(
            @DefaultValue("50") int maxActive,
            @DefaultValue("10") int maxActivePerSession,
            @DefaultValue("10s") Duration retryAfter) {

        public Limits {
            if (maxActive < 1 || maxActivePerSession < 1) {
                throw new IllegalArgumentException("sample.limits.max-active and max-active-per-session must be "
                        + "at least 1, were " + maxActive + " and " + maxActivePerSession);
            }
        }
    }

    /**
     * The realtime page: each browser WebSocket on {@code /realtime/ws} holds one connection to fal's realtime API,
     * which costs fal capacity (and, live, credits) while it is open; hence the bounds.
     *
     * @param endpointId               the fal app the page's prompts go to ({@code {app}/realtime})
     * @param maxConnections           realtime connections open at once in the whole app; beyond it a new one is
     *                                 refused (an error message, then close 1013)
     * @param maxConnectionsPerSession realtime connections open at once per browser session (its tabs)
     * @param maxMessageSize           largest message a browser may send; a larger one closes the socket (1009)
     * @param idleTimeout              a socket whose browser sends nothing for this long is closed (1000); the page
     *                                 connects again at the next keystroke
     */
    public record Realtime(
            @DefaultValue("fal-ai/fast-lcm-diffusion") String endpointId,
            @DefaultValue("10") int maxConnections,
            @DefaultValue("2") int maxConnectionsPerSession,
            @DefaultValue("8KB") DataSize maxMessageSize,
            @DefaultValue("2m") Duration idleTimeout) {

        public Realtime {
            if (endpointId == null || endpointId.isBlank()) {
                throw new IllegalArgumentException("sample.realtime.endpoint-id must not be blank");
            }
            if (maxConnections < 1 || maxConnectionsPerSession < 1) {
                throw new IllegalArgumentException("sample.realtime.max-connections and max-connections-per-session "
                        + "must be at least 1, were " + maxConnections + " and " + maxConnectionsPerSession);
            }
            if (maxMessageSize.toBytes() < 256 || maxMessageSize.toBytes() > 1024 * 1024) {
                throw new IllegalArgumentException("sample.realtime.max-message-size must be 256B to 1MB, was "
                        + maxMessageSize);
            }
            if (idleTimeout.isNegative() || idleTimeout.isZero()) {
                throw new IllegalArgumentException("sample.realtime.idle-timeout must be positive, was " + idleTimeout);
            }
        }
    }
}
