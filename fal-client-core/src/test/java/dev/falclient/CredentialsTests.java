package dev.falclient;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.falclient.FalTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

@WireMockTest
class CredentialsTests {

    private static final String APP = "fal-ai/flux";
    private static final String SECRET = "sk_live_0123456789abcdef:TOPSECRETVALUE";

    private static FalClient.Builder noKeyBuilder(WireMockRuntimeInfo wm) {
        return builder(wm).key(null);
    }

    @Test
    void supplierIsReadOnEveryRequest(WireMockRuntimeInfo wm) {
        stubFor(statusStub(APP, "r").willReturn(okJson(queued(0))));
        AtomicReference<String> current = new AtomicReference<>("first-key");
        AtomicInteger reads = new AtomicInteger();
        try (FalClient fal = noKeyBuilder(wm).credentials(() -> {
            reads.incrementAndGet();
            return current.get();
        }).build()) {
            assertThat(reads).hasValue(0); // not at build
            fal.status(APP, "r", false);
            current.set("rotated-key");
            fal.status(APP, "r", false);
        }
        wm.getWireMock().verifyThat(1, getRequestedFor(urlPathEqualTo(requestPath(APP, "r") + "/status"))
                .withHeader("Authorization", equalTo("Key first-key")));
        wm.getWireMock().verifyThat(1, getRequestedFor(urlPathEqualTo(requestPath(APP, "r") + "/status"))
                .withHeader("Authorization", equalTo("Key rotated-key")));
        assertThat(reads.get()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void supplierTakesPrecedenceOverKeyAndFallsBackWhenBlank(WireMockRuntimeInfo wm) {
        stubFor(statusStub(APP, "r").willReturn(okJson(queued(0))));
        AtomicReference<String> current = new AtomicReference<>("from-supplier");
        try (FalClient fal = builder(wm).key("builder-key").credentials(current::get).build()) {
            fal.status(APP, "r", false);
            current.set("  ");
            fal.status(APP, "r", false);
        }
        wm.getWireMock().verifyThat(1, getRequestedFor(urlPathEqualTo(requestPath(APP, "r") + "/status"))
                .withHeader("Authorization", equalTo("Key from-supplier")));
        wm.getWireMock().verifyThat(1, getRequestedFor(urlPathEqualTo(requestPath(APP, "r") + "/status"))
                .withHeader("Authorization", equalTo("Key builder-key")));
    }

    @Test
    void environmentChainFalKeyThenIdAndSecret(WireMockRuntimeInfo wm) {
        stubFor(statusStub(APP, "r").willReturn(okJson(queued(0))));
        Map<String, String> env = new HashMap<>();
        env.put("FAL_KEY", "env-key");
        env.put("FAL_KEY_ID", "kid");
        env.put("FAL_KEY_SECRET", "ksecret");
        try (FalClient fal = noKeyBuilder(wm).credentials(FalCredentials.environment(env::get)).build()) {
            fal.status(APP, "r", false);
            env.remove("FAL_KEY");
            fal.status(APP, "r", false);
        }
        wm.getWireMock().verifyThat(1, getRequestedFor(urlPathEqualTo(requestPath(APP, "r") + "/status"))
                .withHeader("Authorization", equalTo("Key env-key")));
        wm.getWireMock().verifyThat(1, getRequestedFor(urlPathEqualTo(requestPath(APP, "r") + "/status"))
                .withHeader("Authorization", equalTo("Key kid:ksecret")));
    }

    @Test
    void environmentChainUnit() {
        assertThat(FalCredentials.environment(Map.of("FAL_KEY", " k ")::get).resolve())
                .map(FalCredentials.Credential::key).contains("k");
        assertThat(FalCredentials.environment(Map.of("FAL_KEY_ID", "id", "FAL_KEY_SECRET", "s")::get).resolve())
                .hasValueSatisfying(c -> {
                    assertThat(c.key()).isEqualTo("id:s");
                    assertThat(c.source()).isEqualTo("FAL_KEY_ID");
                });
        // only one of the pair: nothing
        assertThat(FalCredentials.environment(Map.of("FAL_KEY_ID", "id")::get).resolve()).isEmpty();
        assertThat(FalCredentials.environment(Map.of("FAL_KEY_SECRET", "s")::get).resolve()).isEmpty();
        assertThat(FalCredentials.environment(Map.of("FAL_KEY", " ")::get).resolve()).isEmpty();
        assertThat(FalCredentials.key(null).orElse(FalCredentials.key("b")).resolve())
                .map(FalCredentials.Credential::key).contains("b");
    }

    @Test
    void missingCredentialsFailAtFirstCallNotAtBuild(WireMockRuntimeInfo wm) {
        FalCredentials none = Optional::empty;
        // the default chain, over an environment without FAL_KEY: the machine's own does not matter
        FalClient fal = withEnvironment(builder(wm), none, null, Map.of()); // no exception here
        try (fal) {
            assertThatThrownBy(() -> fal.submit(APP, Map.of("p", 1)))
                    .isInstanceOf(MissingCredentialsException.class)
                    .hasMessageContaining("key")
                    .hasMessageContaining("FAL_KEY")
                    .hasMessageContaining("FAL_KEY_ID")
                    .hasMessageContaining("FAL_KEY_SECRET");
            assertThatThrownBy(() -> fal.status(APP, "r", false)).isInstanceOf(MissingCredentialsException.class);
            assertThatThrownBy(() -> fal.run(APP, Map.of())).isInstanceOf(MissingCredentialsException.class);
            StepVerifier.create(fal.async().submit(APP, Map.of()))
                    .expectError(MissingCredentialsException.class).verify();
            assertThat(fal.stats().credentialSource()).isEmpty();
        }
        wm.getWireMock().verifyThat(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void missingCredentialsAreNotHiddenByTheStreamFallback(WireMockRuntimeInfo wm) {
        try (FalClient fal = withEnvironment(builder(wm).statusMode(StatusMode.STREAMING),
                (FalCredentials) Optional::empty, null, Map.of())) {
            assertThatThrownBy(() -> fal.handle(APP, "r").get()).isInstanceOf(MissingCredentialsException.class);
        }
        wm.getWireMock().verifyThat(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void keyNeverAppearsInToStringsOrErrors(WireMockRuntimeInfo wm) {
        stubFor(post(urlPathMatching(QUEUE + "/.*")).willReturn(okJson(submitReply(wm, APP, "r1"))));
        stubFor(statusStub(APP, "r1").willReturn(json(401,
                "{\"detail\":\"Authentication failed: invalid key\"}")));
        try (FalClient fal = builder(wm).key(SECRET).maxAttempts(1).build()) {
            SyncRequestHandle handle = fal.submit(APP, Map.of());
            assertThat(fal.toString()).doesNotContain(SECRET).doesNotContain("TOPSECRET");
            assertThat(fal.async().toString()).doesNotContain("TOPSECRET");
            assertThat(handle.toString()).doesNotContain("TOPSECRET").contains("r1");
            assertThat(handle.async().toString()).doesNotContain("TOPSECRET");
            FalClientStats stats = fal.stats();
            assertThat(stats.toString()).doesNotContain("TOPSECRET").doesNotContain("0123456789");
            assertThat(stats.maskedKey()).contains("sk_l…");
            assertThat(stats.credentialSource()).contains("key");

            assertThatThrownBy(() -> handle.status(false))
                    .isInstanceOfSatisfying(FalHttpException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(401);
                        assertThat(e.getMessage()).contains("Authentication failed")
                                .doesNotContain("TOPSECRET").doesNotContain("0123456789");
                        assertThat(e.toString()).doesNotContain("TOPSECRET");
                        assertThat(e.headers().toString()).doesNotContain("TOPSECRET");
                    });
            assertThat(fal.stats().lastCallRejectedCredentials()).isTrue();
            assertThat(fal.stats().lastFailureStatus()).hasValue(401);
        }
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(QUEUE + "/" + APP))
                .withHeader("Authorization", equalTo("Key " + SECRET)));
        FalCredentials.Credential credential = new FalCredentials.Credential(SECRET, "key");
        assertThat(credential.toString()).doesNotContain("TOPSECRET").doesNotContain("0123456789")
                .contains("source=key");
        assertThat(new FalCredentials.Credential("short", "key").masked()).isEqualTo("…");
    }
}
