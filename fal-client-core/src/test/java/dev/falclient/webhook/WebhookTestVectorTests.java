package dev.falclient.webhook;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Our verifier against a delivery signed by another Ed25519 implementation (Python's cryptography; see
 * src/test/resources/webhook/README.md), so that a mistake shared by our signer and our verifier cannot pass.
 */
@WireMockTest
class WebhookTestVectorTests {

    private static final Instant SIGNED_AT = Instant.ofEpochSecond(1764612000L);

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = WebhookTestVectorTests.class.getResourceAsStream("/webhook/" + name)) {
            return in.readAllBytes();
        }
    }

    private static Map<String, String> headers() throws IOException {
        Properties p = new Properties();
        try (InputStream in = WebhookTestVectorTests.class.getResourceAsStream("/webhook/vector-headers.properties")) {
            p.load(in);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(name -> headers.put(name, p.getProperty(name)));
        return headers;
    }

    private static FalWebhookVerifier verifier(WireMockRuntimeInfo wm) throws IOException {
        stubFor(get(urlPathEqualTo("/.well-known/jwks.json"))
                .willReturn(okJson(new String(resource("vector-jwks.json"), StandardCharsets.UTF_8))));
        return FalWebhookVerifier.builder().jwksUrl(wm.getHttpBaseUrl() + "/.well-known/jwks.json")
                .clock(Clock.fixed(SIGNED_AT, ZoneOffset.UTC)).build();
    }

    @Test
    void independentlySignedDeliveryIsVerified(WireMockRuntimeInfo wm) throws IOException {
        FalWebhook webhook = verifier(wm).verify(headers(), resource("vector-body.json"));

        assertThat(webhook.requestId()).isEqualTo("0f3b7c1e-5a7d-4c2e-9d61-3f0e8a9b2c44");
        assertThat(webhook.status()).isEqualTo(FalWebhookStatus.OK);
        assertThat(webhook.payload().path("seed").asInt()).isEqualTo(42);
    }

    @Test
    void oneChangedByteOfTheIndependentVectorIsRejected(WireMockRuntimeInfo wm) throws IOException {
        byte[] body = resource("vector-body.json");
        body[body.length - 3] = (byte) '3'; // the body ends with "seed": 42}}, which becomes 43
        assertThatThrownBy(() -> verifier(wm).verify(headers(), body))
                .isInstanceOfSatisfying(FalWebhookVerificationException.class, e -> assertThat(e.reason())
                        .isEqualTo(FalWebhookVerificationException.Reason.BAD_SIGNATURE));
    }
}
