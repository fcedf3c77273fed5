package dev.falclient.emulator;

import static dev.falclient.emulator.Http.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The emulator signs deliveries as fal does, serves its key as a JWKS, retries, and misbehaves on request. */
class WebhookSigningTests extends EmulatorTestBase {

    record Delivery(Map<String, String> headers, byte[] body) {
    }

    private final List<Delivery> received = new CopyOnWriteArrayList<>();
    /** Answers the receiver gives, in order; 204 once they run out. */
    private final Queue<Integer> answers = new ConcurrentLinkedQueue<>();
    private HttpServer receiver;

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.get(0)));
            received.add(new Delivery(headers, exchange.getRequestBody().readAllBytes()));
            Integer answer = answers.poll();
            exchange.sendResponseHeaders(answer == null ? 204 : answer, -1);
            exchange.close();
        });
        receiver.start();
        emu = FalEmulator.builder().deliverWebhooks(true).processingTime(Duration.ofMillis(20)).start();
        emu.webhookSender().retries(3, Duration.ofMillis(20));
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    private String submit() {
        String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        return post(emu.queueUrl() + "/fal-ai/x?fal_webhook=" + URLEncoder.encode(hook, StandardCharsets.UTF_8),
                "{\"prompt\":\"w\"}").json().path("request_id").asString();
    }

    private List<PublicKey> jwks(String url) throws Exception {
        Http.Resp r = Http.send(HttpRequest.newBuilder(java.net.URI.create(url)).GET().build());
        assertThat(r.status()).isEqualTo(200);
        List<PublicKey> keys = new java.util.ArrayList<>();
        for (JsonNode jwk : r.json().path("keys")) {
            assertThat(jwk.path("kty").asString()).isEqualTo("OKP");
            assertThat(jwk.path("crv").asString()).isEqualTo("Ed25519");
            byte[] raw = Base64.getUrlDecoder().decode(jwk.path("x").asString().replace("=", ""));
            byte[] be = new byte[32];
            for (int i = 0; i < 32; i++) {
                be[i] = raw[31 - i];
            }
            boolean odd = (be[0] & 0x80) != 0;
            be[0] &= 0x7f;
            keys.add(KeyFactory.getInstance("Ed25519").generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519,
                    new EdECPoint(odd, new BigInteger(1, be)))));
        }
        return keys;
    }

    private static boolean verifies(List<PublicKey> keys, Delivery d) throws Exception {
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(d.body()));
        byte[] message = String.join("\n", d.headers().get("X-Fal-Webhook-Request-Id"),
                d.headers().get("X-Fal-Webhook-User-Id"), d.headers().get("X-Fal-Webhook-Timestamp"), hash)
                .getBytes(StandardCharsets.UTF_8);
        byte[] signature = HexFormat.of().parseHex(d.headers().get("X-Fal-Webhook-Signature"));
        for (PublicKey key : keys) {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(message);
            try {
                if (s.verify(signature)) {
                    return true;
                }
            } catch (java.security.SignatureException e) {
                // the JDK throws, rather than answer false, for some bytes that are no signature at all
            }
        }
        return false;
    }

    @Test
    void deliveryIsSignedByTheKeyOfTheServedJwks() throws Exception {
        String requestId = submit();
        await().atMost(Http.PATIENCE).until(() -> !received.isEmpty());
        Delivery d = received.get(0);

        assertThat(d.headers()).containsEntry("X-Fal-Webhook-Request-Id", requestId)
                .containsKeys("X-Fal-Webhook-User-Id", "X-Fal-Webhook-Timestamp", "X-Fal-Webhook-Signature");
        long timestamp = Long.parseLong(d.headers().get("X-Fal-Webhook-Timestamp"));
        assertThat(Math.abs(Instant.now().getEpochSecond() - timestamp)).isLessThan(60);
        assertThat(verifies(jwks(emu.jwksUrl()), d)).isTrue();
        assertThat(verifies(jwks(emu.baseUrl() + "/.well-known/jwks.json"), d)).isTrue();
        assertThat(emu.jwksUrl()).isEqualTo(emu.restUrl() + "/.well-known/jwks.json");
    }

    @Test
    void refusedDeliveryIsRetriedUntilAccepted() {
        answers.add(500);
        answers.add(401);
        String requestId = submit();
        await().atMost(Http.PATIENCE).until(() -> received.size() == 3);
        await().atMost(Http.PATIENCE).until(() -> emu.webhookSender().attempts().size() == 3);
        assertThat(emu.webhookSender().attempts()).extracting(WebhookAttempt::requestId, WebhookAttempt::attempt,
                WebhookAttempt::status).containsExactly(org.assertj.core.groups.Tuple.tuple(requestId, 1, 500),
                org.assertj.core.groups.Tuple.tuple(requestId, 2, 401),
                org.assertj.core.groups.Tuple.tuple(requestId, 3, 204));
    }

    @Test
    void armedFaultsDuplicateStaleAndBadlySignedDeliveries() throws Exception {
        emu.webhookSender().fault().copies(2);
        submit();
        await().atMost(Http.PATIENCE).until(() -> received.size() == 2);
        assertThat(received.get(0).body()).isEqualTo(received.get(1).body());

        received.clear();
        emu.webhookSender().retries(0, Duration.ofMillis(20));
        emu.webhookSender().fault().badSignature();
        submit();
        await().atMost(Http.PATIENCE).until(() -> received.size() == 1);
        assertThat(verifies(jwks(emu.jwksUrl()), received.get(0))).isFalse();

        received.clear();
        emu.webhookSender().fault().timestampOffset(Duration.ofMinutes(-10)).delay(Duration.ofMillis(50));
        submit();
        await().atMost(Http.PATIENCE).until(() -> received.size() == 1);
        long timestamp = Long.parseLong(received.get(0).headers().get("X-Fal-Webhook-Timestamp"));
        assertThat(Instant.now().getEpochSecond() - timestamp).isGreaterThanOrEqualTo(590);
        assertThat(verifies(jwks(emu.jwksUrl()), received.get(0))).isTrue();
    }

    @Test
    void rotatedKeyReplacesThePublishedOneAndSignsByHand() throws Exception {
        List<PublicKey> before = jwks(emu.jwksUrl());
        emu.webhookSender().rotateKey();
        List<PublicKey> after = jwks(emu.jwksUrl());
        assertThat(after).hasSize(1).doesNotContainAnyElementsOf(before);

        byte[] body = "{\"request_id\":\"r\"}".getBytes(StandardCharsets.UTF_8);
        Delivery byHand = new Delivery(new java.util.TreeMap<>(emu.webhookSender().sign("r", body)), body);
        assertThat(verifies(after, byHand)).isTrue();
        assertThat(verifies(before, byHand)).isFalse();
    }
}
