package dev.falclient;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.falclient.StorageStubs.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.falclient.storage.AclDecision;
import dev.falclient.storage.InitialAcl;
import dev.falclient.storage.UploadOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Uploads in one piece through fal's CDN v3 flow: the exact requests, and the CDN token's caching. */
@WireMockTest
class StorageTests {

    @TempDir
    Path dir;

    private static void stubUpload(WireMockRuntimeInfo wm) {
        stubFor(post(urlPathEqualTo(CDN + "/files/upload"))
                .willReturn(okJson("{\"access_url\":\"" + cdnUrl(wm, "/files/abc/cat.png") + "\"}")));
    }

    @Test
    void aFileGoesToTheCdnWithTheTokenAndItsUrlComesBack(WireMockRuntimeInfo wm) throws Exception {
        stubToken();
        stubUpload(wm);
        Path file = Files.write(dir.resolve("cat.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2});
        try (FalClient fal = storageBuilder(wm).build()) {
            assertThat(fal.storage().upload(file)).isEqualTo(cdnUrl(wm, "/files/abc/cat.png"));
        }
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(TOKEN_PATH))
                .withQueryParam("storage_type", equalTo("fal-cdn-v3"))
                .withHeader("Authorization", equalTo("Key " + FalTestSupport.KEY))
                .withHeader("Content-Type", equalTo("application/json"))
                .withHeader("Accept", equalTo("application/json"))
                .withRequestBody(equalToJson("{}")));
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(CDN + "/files/upload"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withHeader("Content-Type", equalTo("image/png"))
                .withHeader("Content-Length", equalTo("7"))
                .withHeader("X-Fal-File-Name", equalTo("cat.png"))
                .withHeader("X-Fal-Object-Lifecycle", absent())
                .withRequestBody(binaryEqualTo(Files.readAllBytes(file))));
        assertThat(keysSentToStorageHosts(wm)).isEmpty();
    }

    @Test
    void bytesCarryTheirTypeAndNameAndTheLifecycleHeaders(WireMockRuntimeInfo wm) {
        stubToken();
        stubUpload(wm);
        UploadOptions options = UploadOptions.DEFAULTS.withExpiresIn("1d")
                .withInitialAcl(InitialAcl.of(AclDecision.HIDE).withRule("user-7", AclDecision.ALLOW));
        String lifecycle = "{\"expiration_duration_seconds\":86400,\"initial_acl\":{\"default\":\"hide\","
                + "\"rules\":[{\"user\":\"user-7\",\"decision\":\"allow\"}]}}";
        try (FalClient fal = storageBuilder(wm).build()) {
            fal.storage().upload("hello".getBytes(StandardCharsets.UTF_8), "text/plain", "note.txt", options);
            fal.storage().upload(new byte[] {1}, "image/webp");
        }
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(CDN + "/files/upload"))
                .withHeader("Content-Type", equalTo("text/plain"))
                .withHeader("X-Fal-File-Name", equalTo("note.txt"))
                .withHeader("X-Fal-Object-Lifecycle", equalToJson(lifecycle))
                .withHeader("X-Fal-Object-Lifecycle-Preference", equalToJson(lifecycle))
                .withRequestBody(equalTo("hello")));
        // a name from the type when none is given
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(CDN + "/files/upload"))
                .withHeader("X-Fal-File-Name", equalTo("upload.webp")));
    }

    @Test
    void theClientsDefaultLifetimeAppliesUnlessAnUploadSetsOne(WireMockRuntimeInfo wm) {
        stubToken();
        stubUpload(wm);
        try (FalClient fal = storageBuilder(wm).defaultExpiresIn("1h").build()) {
            fal.storage().upload(new byte[] {1}, "image/png");
            fal.storage().upload(new byte[] {2}, "image/png", "b.png", UploadOptions.DEFAULTS.withExpiresIn("never"));
        }
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(CDN + "/files/upload"))
                .withHeader("X-Fal-Object-Lifecycle", equalToJson("{\"expiration_duration_seconds\":3600}")));
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(CDN + "/files/upload"))
                .withHeader("X-Fal-File-Name", equalTo("b.png")).withHeader("X-Fal-Object-Lifecycle", absent()));
    }

    @Test
    void concurrentUploadsShareOneTokenRequest(WireMockRuntimeInfo wm) {
        stubFor(post(urlPathEqualTo(TOKEN_PATH)).willReturn(okJson(tokenReply(TOKEN, Instant.now().plusSeconds(7200)))
                .withFixedDelay(300)));
        stubUpload(wm);
        try (AsyncFalClient fal = StorageStubs.storageBuilder(wm).build().async()) {
            List<String> urls = Flux.fromStream(IntStream.range(0, 20).boxed())
                    .flatMap(i -> fal.storage().upload(new byte[] {i.byteValue()}, "image/png"), 20)
                    .collectList().block();
            assertThat(urls).hasSize(20);
            fal.storage().upload(new byte[] {1}, "image/png").block();
        }
        assertThat(tokenRequests(wm)).hasSize(1);
        wm.getWireMock().verifyThat(21, postRequestedFor(urlPathEqualTo(CDN + "/files/upload"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN)));
    }

    @Test
    void aTokenAboutToExpireIsReplacedBeforeUse(WireMockRuntimeInfo wm) {
        // expiring now: every upload needs a new one
        stubFor(post(urlPathEqualTo(TOKEN_PATH)).willReturn(okJson(tokenReply(TOKEN, Instant.now()))));
        stubUpload(wm);
        try (FalClient fal = storageBuilder(wm).build()) {
            fal.storage().upload(new byte[] {1}, "image/png");
            fal.storage().upload(new byte[] {2}, "image/png");
        }
        assertThat(tokenRequests(wm)).hasSize(2);
    }

    @Test
    void concurrentUploadsShareOneRefreshOfADueToken(WireMockRuntimeInfo wm) {
        stubFor(post(urlPathEqualTo(TOKEN_PATH)).inScenario("refresh").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("fresh").willReturn(okJson(tokenReply("due", Instant.now()))));
        stubFor(post(urlPathEqualTo(TOKEN_PATH)).inScenario("refresh").whenScenarioStateIs("fresh")
                .willReturn(okJson(tokenReply(TOKEN, Instant.now().plusSeconds(7200))).withFixedDelay(300)));
        stubUpload(wm);
        try (AsyncFalClient fal = storageBuilder(wm).build().async()) {
            fal.storage().upload(new byte[] {1}, "image/png").block();
            List<String> urls = Flux.range(0, 20)
                    .flatMap(i -> fal.storage().upload(new byte[] {i.byteValue()}, "image/png"), 20)
                    .collectList().block();
            assertThat(urls).hasSize(20);
        }
        assertThat(tokenRequests(wm)).hasSize(2);
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(CDN + "/files/upload"))
                .withHeader("Authorization", equalTo("Bearer due")));
        wm.getWireMock().verifyThat(20, postRequestedFor(urlPathEqualTo(CDN + "/files/upload"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN)));
    }

    @Test
    void aTokenTheCdnRefusesIsReplacedOnceAndTheUploadRepeated(WireMockRuntimeInfo wm) {
        stubFor(post(urlPathEqualTo(TOKEN_PATH)).inScenario("token").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("second").willReturn(okJson(tokenReply("old", Instant.now().plusSeconds(7200)))));
        stubFor(post(urlPathEqualTo(TOKEN_PATH)).inScenario("token").whenScenarioStateIs("second")
                .willReturn(okJson(tokenReply("new", Instant.now().plusSeconds(7200)))));
        stubFor(post(urlPathEqualTo(CDN + "/files/upload")).withHeader("Authorization", equalTo("Bearer old"))
                .willReturn(aResponse().withStatus(401).withBody("{\"detail\":\"Token expired\"}")));
        stubFor(post(urlPathEqualTo(CDN + "/files/upload")).withHeader("Authorization", equalTo("Bearer new"))
                .willReturn(okJson("{\"access_url\":\"" + cdnUrl(wm, "/files/x/a.png") + "\"}")));
        try (FalClient fal = storageBuilder(wm).build()) {
            assertThat(fal.storage().upload(new byte[] {1}, "image/png")).isEqualTo(cdnUrl(wm, "/files/x/a.png"));
        }
        assertThat(tokenRequests(wm)).hasSize(2);
    }

    @Test
    void theReactiveFaceUploadsOnlyWhenSubscribed(WireMockRuntimeInfo wm) {
        stubToken();
        stubUpload(wm);
        try (AsyncFalClient fal = storageBuilder(wm).build().async()) {
            Mono<String> upload = fal.storage().upload(new byte[] {1}, "image/png");
            assertThat(wm.getWireMock().find(postRequestedFor(urlPathEqualTo(CDN + "/files/upload")))).isEmpty();
            assertThat(upload.block()).isEqualTo(cdnUrl(wm, "/files/abc/cat.png"));
        }
        List<LoggedRequest> uploads = wm.getWireMock().find(postRequestedFor(urlPathEqualTo(CDN + "/files/upload")));
        assertThat(uploads).hasSize(1);
    }
}
