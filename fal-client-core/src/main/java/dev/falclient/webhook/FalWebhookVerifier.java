package dev.falclient.webhook;

import dev.falclient.internal.json.FalJson;
import dev.falclient.internal.webhook.Ed25519Keys;
import dev.falclient.internal.webhook.JwksCache;
import dev.falclient.internal.webhook.SignedMessage;
import dev.falclient.settings.HttpSettings;
import dev.falclient.settings.WebhookSettings;
import dev.falclient.webhook.FalWebhookVerificationException.Reason;
import io.netty.channel.ChannelOption;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Verifies fal's webhook deliveries as fal documents it: the four {@code X-Fal-Webhook-*} headers, a timestamp
 * within the tolerance of now, and an Ed25519 signature (checked with the JDK's provider) over request id, user id,
 * timestamp and the hex SHA-256 of the raw body, by any key of fal's JWKS. The keys are cached for at most 24 h;
 * when no cached key verifies a signature they are fetched again once (key rotation), at most once per refetch
 * interval. Thread-safe; build one and share it. Works with any Java HTTP framework: hand it the raw body bytes
 * exactly as received, before any JSON parsing.
 *
 * <pre>{@code
 * FalWebhookVerifier verifier = FalWebhookVerifier.builder().build();
 * FalWebhook webhook = verifier.verify(headers, rawBody); // throws FalWebhookVerificationException
 * }</pre>
 *
 * <p>{@link #verify} blocks while it fetches fal's keys (bounded by the HTTP settings): never call it on a Reactor
 * event-loop thread (WebFlux, Reactor Netty), where it fails; use {@link #verifyAsync} there.
 */
public final class FalWebhookVerifier {

    /** Header of fal's request id. */
    public static final String REQUEST_ID_HEADER = "X-Fal-Webhook-Request-Id";
    /** Header of fal's user id. */
    public static final String USER_ID_HEADER = "X-Fal-Webhook-User-Id";
    /** Header of the delivery time, Unix seconds. */
    public static final String TIMESTAMP_HEADER = "X-Fal-Webhook-Timestamp";
    /** Header of the hex Ed25519 signature. */
    public static final String SIGNATURE_HEADER = "X-Fal-Webhook-Signature";

    private static final int MAX_JWKS_SIZE = 256 * 1024;
    private static final JsonMapper MAPPER = FalJson.defaultMapper();

    private final WebhookSettings settings;
    private final Clock clock;
    private final JwksCache keys;

    private FalWebhookVerifier(Builder b) {
        this.settings = b.settings;
        this.clock = b.clock;
        HttpClient http = b.httpClientCustomizer.apply(HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) b.http.connectTimeout().toMillis())
                .responseTimeout(b.http.responseTimeout()));
        WebClient web = (b.webClientBuilder == null ? WebClient.builder() : b.webClientBuilder.clone())
                .clientConnector(new ReactorClientHttpConnector(http))
                .codecs(c -> c.defaultCodecs().maxInMemorySize(MAX_JWKS_SIZE))
                .build();
        String url = settings.jwksUrl();
        Duration bound = b.http.connectTimeout().plus(b.http.responseTimeout());
        this.keys = new JwksCache(() -> web.get().uri(url).accept(MediaType.APPLICATION_JSON).retrieve()
                .bodyToMono(byte[].class)
                .timeout(bound)
                .map(bytes -> Ed25519Keys.fromJwks(MAPPER.readTree(bytes))), clock, settings.jwksCacheTtl(),
                settings.jwksRefetchInterval());
    }

    /** A builder with fal's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The settings this verifier checks with. */
    public WebhookSettings settings() {
        return settings;
    }

    /**
     * Verifies a delivery and reads its body. Blocks while fal's keys are fetched; never call it on an event loop.
     *
     * @param headers the delivery's headers (names in any case)
     * @param rawBody the body bytes exactly as received
     * @throws FalWebhookVerificationException naming the check that failed
     * @throws IllegalStateException on a Reactor or Netty event-loop thread
     */
    public FalWebhook verify(Map<String, String> headers, byte[] rawBody) {
        if (Schedulers.isInNonBlockingThread()) {
            // checked before anything starts: Reactor's own check in block() comes after the fetch is under way
            throw new IllegalStateException("FalWebhookVerifier.verify blocks and must not run on the non-blocking "
                    + "thread " + Thread.currentThread().getName() + " (a Reactor or Netty event loop): use verifyAsync");
        }
        return verifyAsync(headers, rawBody).block();
    }

    /**
     * Verifies a delivery and reads its body, without blocking: for WebFlux and other reactive stacks.
     *
     * @return the delivery, or an error {@link FalWebhookVerificationException} naming the check that failed
     */
    public Mono<FalWebhook> verifyAsync(Map<String, String> headers, byte[] rawBody) {
        return Mono.defer(() -> {
            Signed signed = signed(headers, rawBody);
            return keys.keys()
                    .onErrorMap(e -> !(e instanceof FalWebhookVerificationException), e -> unavailable(signed, e))
                    .flatMap(cached -> verified(signed, cached) ? Mono.just(true)
                            : keys.refetch()
                                    .onErrorMap(e -> unavailable(signed, e))
                                    .map(fresh -> verified(signed, fresh) || reject(signed, fresh))
                                    .switchIfEmpty(Mono.fromSupplier(() -> reject(signed, cached))))
                    .map(ok -> body(signed, rawBody));
        });
    }

    private record Signed(String requestId, byte[] message, byte[] signature) {
    }

    private Signed signed(Map<String, String> headers, byte[] rawBody) {
        if (headers == null || rawBody == null) {
            throw new IllegalArgumentException("headers and rawBody must not be null");
        }
        Map<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, value) -> {
            if (name != null && value != null) {
                byName.put(name, value.trim());
            }
        });
        String requestId = required(byName, REQUEST_ID_HEADER, null);
        String userId = required(byName, USER_ID_HEADER, requestId);
        String timestamp = required(byName, TIMESTAMP_HEADER, requestId);
        String signature = required(byName, SIGNATURE_HEADER, requestId);
        long seconds;
        try {
            seconds = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            throw fail(Reason.INVALID_HEADER, TIMESTAMP_HEADER + " is no Unix time in seconds", requestId, null);
        }
        Instant now = clock.instant();
        Duration offset = Duration.between(Instant.ofEpochSecond(seconds), now).abs();
        if (offset.compareTo(settings.tolerance()) > 0) {
            throw fail(Reason.STALE_TIMESTAMP, "the delivery's timestamp is " + offset.toSeconds() + " s away from now, "
                    + "more than the tolerance of " + settings.tolerance().toSeconds() + " s (a replay, or a wrong "
                    + "clock: check NTP)", requestId, null);
        }
        byte[] signatureBytes;
        try {
            signatureBytes = HexFormat.of().parseHex(signature);
        } catch (IllegalArgumentException e) {
            throw fail(Reason.INVALID_HEADER, SIGNATURE_HEADER + " is no hex string", requestId, null);
        }
        if (signatureBytes.length != 64) {
            throw fail(Reason.INVALID_HEADER, SIGNATURE_HEADER + " has " + signatureBytes.length
                    + " bytes; an Ed25519 signature has 64", requestId, null);
        }
        return new Signed(requestId, SignedMessage.of(requestId, userId, timestamp, rawBody), signatureBytes);
    }

    private static String required(Map<String, String> headers, String name, @Nullable String requestId) {
        String value = headers.get(name);
        if (value == null || value.isEmpty()) {
            throw fail(Reason.MISSING_HEADER, "the delivery has no " + name + " header: it was not sent by fal",
                    requestId, null);
        }
        return value;
    }

    private static boolean verified(Signed signed, List<PublicKey> keys) {
        return Ed25519Keys.verifiesAny(keys, signed.message(), signed.signature());
    }

    private boolean reject(Signed signed, List<PublicKey> keys) {
        if (keys.isEmpty()) {
            throw fail(Reason.UNKNOWN_KEY, "fal's JWKS at " + settings.jwksUrl() + " holds no Ed25519 key",
                    signed.requestId(), null);
        }
        throw fail(Reason.BAD_SIGNATURE, "no key of fal's JWKS verifies the signature: the delivery was not "
                + "signed by fal, or was changed on the way (verify the raw body bytes, before any JSON parsing)",
                signed.requestId(), null);
    }

    private FalWebhookVerificationException unavailable(Signed signed, Throwable cause) {
        return fail(Reason.JWKS_UNAVAILABLE, "fal's JWKS could not be fetched from " + settings.jwksUrl() + ": "
                + cause.getClass().getSimpleName() + "; the delivery may be genuine, answer so that fal retries it",
                signed.requestId(), cause);
    }

    private static FalWebhook body(Signed signed, byte[] rawBody) {
        JsonNode json;
        try {
            json = MAPPER.readTree(rawBody);
        } catch (JacksonException e) {
            throw fail(Reason.MALFORMED_BODY, "the signed body is no JSON: " + e.getOriginalMessage(),
                    signed.requestId(), e);
        }
        if (json == null || !json.isObject()) {
            throw fail(Reason.MALFORMED_BODY, "the signed body is no JSON object", signed.requestId(), null);
        }
        String requestId = FalJson.text(json, "request_id");
        if (!signed.requestId().equals(requestId)) {
            throw fail(Reason.MALFORMED_BODY, "the body's request_id " + (requestId == null ? "is missing"
                    : "differs from the signed " + REQUEST_ID_HEADER), signed.requestId(), null);
        }
        FalWebhookStatus status;
        try {
            status = FalWebhookStatus.valueOf(Objects.requireNonNullElse(FalJson.text(json, "status"), ""));
        } catch (IllegalArgumentException e) {
            throw fail(Reason.MALFORMED_BODY, "the body's status is neither OK nor ERROR", requestId, null);
        }
        return new FalWebhook(requestId, FalJson.text(json, "gateway_request_id"), status, json.get("payload"),
                FalJson.text(json, "error"), FalJson.text(json, "payload_error"));
    }

    private static FalWebhookVerificationException fail(Reason reason, String message, @Nullable String requestId,
                                                        @Nullable Throwable cause) {
        return new FalWebhookVerificationException(reason, "webhook rejected (" + reason + "): " + message, requestId,
                cause);
    }

    /** Builder of {@link FalWebhookVerifier}; every setting has fal's default. */
    public static final class Builder {
        private WebhookSettings settings = WebhookSettings.DEFAULTS;
        private HttpSettings http = HttpSettings.DEFAULTS;
        private Clock clock = Clock.systemUTC();
        private WebClient.@Nullable Builder webClientBuilder;
        private UnaryOperator<HttpClient> httpClientCustomizer = UnaryOperator.identity();

        private Builder() {
        }

        /** All webhook settings at once. */
        public Builder settings(WebhookSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** URL of fal's JWKS (default {@value WebhookSettings#DEFAULT_JWKS_URL}). */
        public Builder jwksUrl(String jwksUrl) {
            return settings(settings.withJwksUrl(jwksUrl));
        }

        /** Largest difference between a delivery's timestamp and now (default 5 minutes). */
        public Builder tolerance(Duration tolerance) {
            return settings(settings.withTolerance(tolerance));
        }

        /** Least time between two JWKS fetches caused by signatures no cached key verifies (default 1 minute). */
        public Builder jwksRefetchInterval(Duration interval) {
            return settings(settings.withJwksRefetchInterval(interval));
        }

        /** How long fetched keys are used before they are fetched again (default 24 hours). */
        public Builder jwksCacheTtl(Duration ttl) {
            return settings(settings.withJwksCacheTtl(ttl));
        }

        /** The clock that timestamps, the cache and the refetch interval read (default UTC system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Connect timeout and response timeout of JWKS fetches (default: the client's HTTP defaults). */
        public Builder http(HttpSettings http) {
            this.http = Objects.requireNonNull(http, "http");
            return this;
        }

        /** The WebClient builder to start from (cloned, never modified); its filters and codecs apply. */
        public Builder webClientBuilder(WebClient.Builder webClientBuilder) {
            this.webClientBuilder = Objects.requireNonNull(webClientBuilder, "webClientBuilder");
            return this;
        }

        /** Customises the Reactor Netty {@link HttpClient} of JWKS fetches (proxy, SSL). */
        public Builder httpClient(UnaryOperator<HttpClient> customizer) {
            this.httpClientCustomizer = Objects.requireNonNull(customizer, "customizer");
            return this;
        }

        public FalWebhookVerifier build() {
            return new FalWebhookVerifier(this);
        }
    }
}
