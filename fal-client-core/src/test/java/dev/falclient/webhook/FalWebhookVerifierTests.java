package dev.falclient.webhook;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import dev.falclient.webhook.FalWebhookVerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

@WireMockTest
class FalWebhookVerifierTests {

    private static final String JWKS_PATH = "/.well-known/jwks.json";
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final String ID = "req-1";

    private final TestKey key = new TestKey();
    private final MutableClock clock = new MutableClock(NOW);
    private WireMockRuntimeInfo wm;

    @BeforeEach
    void serveKey(WireMockRuntimeInfo wm) {
        this.wm = wm;
        stubFor(get(urlPathEqualTo(JWKS_PATH)).willReturn(okJson(TestKey.jwks(key))));
    }

    private FalWebhookVerifier verifier() {
        return FalWebhookVerifier.builder().jwksUrl(wm.getHttpBaseUrl() + JWKS_PATH).clock(clock).build();
    }

    private Map<String, String> signed(byte[] body) {
        return key.headers(ID, NOW.getEpochSecond(), body);
    }

    private int jwksFetches() {
        return wm.getWireMock().find(getRequestedFor(urlPathEqualTo(JWKS_PATH))).size();
    }

    private static Reason reasonOf(Runnable call) {
        try {
            call.run();
        } catch (FalWebhookVerificationException e) {
            return e.reason();
        }
        throw new AssertionError("the delivery was accepted");
    }

    @Test
    void validDeliveryIsReadWithHeaderNamesInAnyCase() {
        byte[] body = TestKey.okBody(ID);
        Map<String, String> lowerCase = new LinkedHashMap<>();
        signed(body).forEach((name, value) -> lowerCase.put(name.toLowerCase(Locale.ROOT), value));

        FalWebhook webhook = verifier().verify(lowerCase, body);

        assertThat(webhook.requestId()).isEqualTo(ID);
        assertThat(webhook.gatewayRequestId()).isEqualTo("g-" + ID);
        assertThat(webhook.ok()).isTrue();
        assertThat(webhook.payload().path("images").get(0).path("url").asString())
                .isEqualTo("https://v3.fal.media/files/a.png");
        assertThat(webhook.error()).isEmpty();
        assertThat(webhook.failure()).isEmpty();
    }

    @Test
    void reactiveVariantVerifiesWithoutBlocking() {
        byte[] body = TestKey.okBody(ID);
        StepVerifier.create(verifier().verifyAsync(signed(body), body).subscribeOn(Schedulers.parallel()))
                .assertNext(webhook -> assertThat(webhook.requestId()).isEqualTo(ID))
                .verifyComplete();
        StepVerifier.create(verifier().verifyAsync(Map.of(), body))
                .expectErrorSatisfies(e -> assertThat(((FalWebhookVerificationException) e).reason())
                        .isEqualTo(Reason.MISSING_HEADER))
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void blockingVariantRefusesToRunOnAnEventLoopThread() {
        byte[] body = TestKey.okBody(ID);
        FalWebhookVerifier verifier = verifier();
        assertThatThrownBy(() -> Mono.fromCallable(() -> verifier.verify(signed(body), body))
                .subscribeOn(Schedulers.parallel()).block(Duration.ofSeconds(10)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("verifyAsync");
        assertThat(jwksFetches()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = { "X-Fal-Webhook-Request-Id", "X-Fal-Webhook-User-Id", "X-Fal-Webhook-Timestamp",
            "X-Fal-Webhook-Signature" })
    void missingHeaderIsRejected(String header) {
        byte[] body = TestKey.okBody(ID);
        Map<String, String> headers = new LinkedHashMap<>(signed(body));
        headers.remove(header);
        assertThatThrownBy(() -> verifier().verify(headers, body))
                .isInstanceOfSatisfying(FalWebhookVerificationException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.MISSING_HEADER))
                .hasMessageContaining(header);
        assertThat(jwksFetches()).isZero();
    }

    @Test
    void unreadableTimestampOrSignatureIsAnInvalidHeader() {
        byte[] body = TestKey.okBody(ID);
        Map<String, String> badTime = new LinkedHashMap<>(signed(body));
        badTime.put("X-Fal-Webhook-Timestamp", "yesterday");
        Map<String, String> badHex = new LinkedHashMap<>(signed(body));
        badHex.put("X-Fal-Webhook-Signature", "zz" + badHex.get("X-Fal-Webhook-Signature").substring(2));
        Map<String, String> shortSignature = new LinkedHashMap<>(signed(body));
        shortSignature.put("X-Fal-Webhook-Signature", "abcd");

        assertThat(reasonOf(() -> verifier().verify(badTime, body))).isEqualTo(Reason.INVALID_HEADER);
        assertThat(reasonOf(() -> verifier().verify(badHex, body))).isEqualTo(Reason.INVALID_HEADER);
        assertThat(reasonOf(() -> verifier().verify(shortSignature, body))).isEqualTo(Reason.INVALID_HEADER);
    }

    @Test
    void timestampExactlyAtTheToleranceIsAcceptedOneSecondBeyondIsStale() {
        byte[] body = TestKey.okBody(ID);
        FalWebhookVerifier verifier = FalWebhookVerifier.builder().jwksUrl(wm.getHttpBaseUrl() + JWKS_PATH)
                .clock(clock).tolerance(Duration.ofMinutes(5)).build();
        long now = NOW.getEpochSecond();

        assertThat(verifier.verify(key.headers(ID, now - 300, body), body).requestId()).isEqualTo(ID);
        assertThat(verifier.verify(key.headers(ID, now + 300, body), body).requestId()).isEqualTo(ID);
        assertThatThrownBy(() -> verifier.verify(key.headers(ID, now - 301, body), body))
                .isInstanceOfSatisfying(FalWebhookVerificationException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.STALE_TIMESTAMP))
                .hasMessageContaining("301 s");
        assertThat(reasonOf(() -> verifier.verify(key.headers(ID, now + 301, body), body)))
                .isEqualTo(Reason.STALE_TIMESTAMP);
    }

    @Test
    void changedBodyIsABadSignature() {
        byte[] body = TestKey.okBody(ID);
        Map<String, String> headers = signed(body);
        byte[] changed = new String(body, StandardCharsets.UTF_8).replace("a.png", "b.png")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(reasonOf(() -> verifier().verify(headers, changed))).isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void signatureOfAnUnpublishedKeyIsRejectedAfterOneRefetch() {
        byte[] body = TestKey.okBody(ID);
        Map<String, String> forged = new TestKey().headers(ID, NOW.getEpochSecond(), body);
        assertThat(reasonOf(() -> verifier().verify(forged, body))).isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(jwksFetches()).isEqualTo(2);
    }

    @Test
    void jwksWithoutEd25519KeysIsAnUnknownKey() {
        stubFor(get(urlPathEqualTo(JWKS_PATH)).willReturn(okJson(
                "{\"keys\":[{\"kty\":\"RSA\",\"n\":\"abc\",\"e\":\"AQAB\"},{\"kty\":\"OKP\",\"crv\":\"X25519\",\"x\":\"AA\"}]}")));
        byte[] body = TestKey.okBody(ID);
        assertThat(reasonOf(() -> verifier().verify(signed(body), body))).isEqualTo(Reason.UNKNOWN_KEY);
    }

    @Test
    void unreachableJwksIsReportedAsUnavailableAndNotFetchedAgainAtOnce() {
        stubFor(get(urlPathEqualTo(JWKS_PATH)).willReturn(serverError()));
        byte[] body = TestKey.okBody(ID);
        FalWebhookVerifier verifier = verifier();
        assertThat(reasonOf(() -> verifier.verify(signed(body), body))).isEqualTo(Reason.JWKS_UNAVAILABLE);
        assertThat(reasonOf(() -> verifier.verify(signed(body), body))).isEqualTo(Reason.JWKS_UNAVAILABLE);
        assertThat(jwksFetches()).isEqualTo(1);

        stubFor(get(urlPathEqualTo(JWKS_PATH)).willReturn(okJson(TestKey.jwks(key))));
        clock.advance(Duration.ofMinutes(1));
        assertThat(verifier.verify(signed(body), body).requestId()).isEqualTo(ID);
    }

    @Test
    void signedBodyThatIsNoWebhookIsMalformed() {
        byte[] notJson = "not json".getBytes(StandardCharsets.UTF_8);
        byte[] array = "[1,2]".getBytes(StandardCharsets.UTF_8);
        byte[] otherRequest = TestKey.okBody("req-2");
        byte[] noStatus = ("{\"request_id\":\"" + ID + "\",\"status\":\"DONE\"}").getBytes(StandardCharsets.UTF_8);

        for (byte[] body : new byte[][] { notJson, array, otherRequest, noStatus }) {
            assertThat(reasonOf(() -> verifier().verify(signed(body), body))).isEqualTo(Reason.MALFORMED_BODY);
        }
    }

    @Test
    void rotatedKeyIsFetchedOnceThenServedFromTheCache() {
        FalWebhookVerifier verifier = verifier();
        byte[] body = TestKey.okBody(ID);
        assertThat(verifier.verify(signed(body), body).ok()).isTrue();
        assertThat(jwksFetches()).isEqualTo(1);

        TestKey rotated = new TestKey();
        stubFor(get(urlPathEqualTo(JWKS_PATH)).willReturn(okJson(TestKey.jwks(rotated))));
        assertThat(verifier.verify(rotated.headers(ID, NOW.getEpochSecond(), body), body).ok()).isTrue();
        assertThat(jwksFetches()).isEqualTo(2);

        assertThat(verifier.verify(rotated.headers(ID, NOW.getEpochSecond(), body), body).ok()).isTrue();
        assertThat(jwksFetches()).isEqualTo(2);
    }

    @Test
    void floodOfBadSignaturesRefetchesAtMostOncePerInterval() {
        FalWebhookVerifier verifier = FalWebhookVerifier.builder().jwksUrl(wm.getHttpBaseUrl() + JWKS_PATH)
                .clock(clock).jwksRefetchInterval(Duration.ofMinutes(1)).build();
        byte[] body = TestKey.okBody(ID);
        TestKey attacker = new TestKey();
        for (int i = 0; i < 20; i++) {
            Map<String, String> forged = attacker.headers(ID, clock.instant().getEpochSecond(), body);
            assertThat(reasonOf(() -> verifier.verify(forged, body))).isEqualTo(Reason.BAD_SIGNATURE);
        }
        assertThat(jwksFetches()).isEqualTo(2); // the first fetch and one refetch

        clock.advance(Duration.ofSeconds(59));
        Map<String, String> early = attacker.headers(ID, clock.instant().getEpochSecond(), body);
        assertThat(reasonOf(() -> verifier.verify(early, body))).isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(jwksFetches()).isEqualTo(2);

        clock.advance(Duration.ofSeconds(1));
        Map<String, String> later = attacker.headers(ID, clock.instant().getEpochSecond(), body);
        assertThat(reasonOf(() -> verifier.verify(later, body))).isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(jwksFetches()).isEqualTo(3);
    }

    @Test
    void keysAreFetchedAgainAfterTheCacheTtl() {
        FalWebhookVerifier verifier = verifier();
        byte[] body = TestKey.okBody(ID);
        verifier.verify(signed(body), body);
        clock.advance(Duration.ofHours(24).minusSeconds(1));
        verifier.verify(key.headers(ID, clock.instant().getEpochSecond(), body), body);
        assertThat(jwksFetches()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        verifier.verify(key.headers(ID, clock.instant().getEpochSecond(), body), body);
        assertThat(jwksFetches()).isEqualTo(2);
    }

    @Test
    void expiredKeysAreNotUsedWhenTheJwksFailsAndTheFailureIsNotRetriedAtOnce() {
        FalWebhookVerifier verifier = verifier();
        byte[] body = TestKey.okBody(ID);
        verifier.verify(signed(body), body);
        stubFor(get(urlPathEqualTo(JWKS_PATH)).willReturn(serverError()));
        clock.advance(Duration.ofHours(24));
        Map<String, String> later = key.headers(ID, clock.instant().getEpochSecond(), body);
        assertThat(reasonOf(() -> verifier.verify(later, body))).isEqualTo(Reason.JWKS_UNAVAILABLE);
        assertThat(reasonOf(() -> verifier.verify(later, body))).isEqualTo(Reason.JWKS_UNAVAILABLE);
        assertThat(jwksFetches()).isEqualTo(2);
    }

    @Test
    void paddedAndUnpaddedKeysAreBothRead() {
        String padded = TestKey.jwks(key).replace("\"}", "=\"}");
        stubFor(get(urlPathEqualTo(JWKS_PATH)).willReturn(okJson(padded)));
        byte[] body = TestKey.okBody(ID);
        assertThat(verifier().verify(signed(body), body).ok()).isTrue();
    }

    @Test
    void anyKeyOfTheSetMayHaveSigned() {
        stubFor(get(urlPathEqualTo(JWKS_PATH)).willReturn(okJson(TestKey.jwks(new TestKey(), key))));
        byte[] body = TestKey.okBody(ID);
        assertThat(verifier().verify(signed(body), body).ok()).isTrue();
        assertThat(jwksFetches()).isEqualTo(1);
    }

    @Test
    void nullArgumentsAreRefusedWithAClearMessage() {
        assertThatThrownBy(() -> verifier().verify(null, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("headers");
    }
}
