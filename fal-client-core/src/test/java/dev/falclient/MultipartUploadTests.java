package dev.falclient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.falclient.StorageStubs.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.falclient.storage.FalUploadException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multipart uploads (create, parts, complete), the per-part retry, and the fallback to fal's signed upload; the fal
 * key never reaches a storage host.
 */
@WireMockTest
class MultipartUploadTests {

    private static final String FILE = "/files/abc/big.bin";
    private static final String PARTS = CDN + FILE + "/multipart/up-1/";

    @TempDir
    Path dir;

    /** 25 bytes: parts of 10, 10 and 5. */
    private static byte[] content() {
        byte[] bytes = new byte[25];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) ('a' + i);
        }
        return bytes;
    }

    private static FalClient.Builder multipart(WireMockRuntimeInfo wm) {
        return storageBuilder(wm).multipartThreshold(10).partSize(10).uploadParallelism(3);
    }

    private static void stubCreateAndComplete(WireMockRuntimeInfo wm) {
        stubToken();
        stubFor(post(urlPathEqualTo(CDN + "/files/upload/multipart")).willReturn(okJson(
                "{\"access_url\":\"" + cdnUrl(wm, FILE) + "\",\"uploadId\":\"up-1\"}")));
        stubFor(post(urlPathEqualTo(PARTS + "complete")).willReturn(okJson("{}")));
    }

    private static void stubPart(int n, int delayMillis) {
        stubFor(put(urlPathEqualTo(PARTS + n)).willReturn(aResponse().withStatus(200).withHeader("ETag", "\"e" + n + "\"")
                .withFixedDelay(delayMillis)));
    }

    @Test
    void aLargeFileGoesUpInOrderedPartsAndIsCompleted(WireMockRuntimeInfo wm) throws Exception {
        stubCreateAndComplete(wm);
        // part 1 answers last: the completion still lists the parts in order
        stubPart(1, 300);
        stubPart(2, 0);
        stubPart(3, 0);
        byte[] bytes = content();
        Path file = Files.write(dir.resolve("big.bin"), bytes);
        try (FalClient fal = multipart(wm).build()) {
            assertThat(fal.storage().upload(file)).isEqualTo(cdnUrl(wm, FILE));
        }
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(CDN + "/files/upload/multipart"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withHeader("Content-Type", equalTo("application/octet-stream"))
                .withHeader("X-Fal-File-Name", equalTo("big.bin")));
        for (int n = 1; n <= 3; n++) {
            wm.getWireMock().verifyThat(1, putRequestedFor(urlPathEqualTo(PARTS + n))
                    .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                    .withHeader("Accept-Encoding", equalTo("identity"))
                    .withHeader("Content-Length", equalTo(n < 3 ? "10" : "5"))
                    .withRequestBody(binaryEqualTo(Arrays.copyOfRange(bytes, (n - 1) * 10, Math.min(25, n * 10)))));
        }
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(PARTS + "complete"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withRequestBody(equalToJson("{\"parts\":[{\"partNumber\":1,\"etag\":\"\\\"e1\\\"\"},"
                        + "{\"partNumber\":2,\"etag\":\"\\\"e2\\\"\"},{\"partNumber\":3,\"etag\":\"\\\"e3\\\"\"}]}")));
        assertThat(keysSentToStorageHosts(wm)).isEmpty();
    }

    @Test
    void bytesInMemoryAreSplitIntoTheirRealParts(WireMockRuntimeInfo wm) {
        // fal's Python client sends parts 2..N of in-memory bytes empty
        stubCreateAndComplete(wm);
        stubPart(1, 0);
        stubPart(2, 0);
        stubPart(3, 0);
        byte[] bytes = content();
        try (FalClient fal = multipart(wm).build()) {
            fal.storage().upload(bytes, "application/octet-stream", "big.bin");
        }
        for (int n = 1; n <= 3; n++) {
            wm.getWireMock().verifyThat(1, putRequestedFor(urlPathEqualTo(PARTS + n))
                    .withRequestBody(binaryEqualTo(Arrays.copyOfRange(bytes, (n - 1) * 10, Math.min(25, n * 10)))));
        }
    }

    @Test
    void aFailingPartIsRetriedOnItsOwn(WireMockRuntimeInfo wm) throws Exception {
        stubCreateAndComplete(wm);
        stubPart(1, 0);
        stubPart(3, 0);
        stubFor(put(urlPathEqualTo(PARTS + 2)).inScenario("part2").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("ok").willReturn(aResponse().withStatus(500)));
        stubFor(put(urlPathEqualTo(PARTS + 2)).inScenario("part2").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withHeader("ETag", "\"e2\"")));
        Path file = Files.write(dir.resolve("big.bin"), content());
        try (FalClient fal = multipart(wm).build()) {
            assertThat(fal.storage().upload(file)).isEqualTo(cdnUrl(wm, FILE));
        }
        wm.getWireMock().verifyThat(1, putRequestedFor(urlPathEqualTo(PARTS + 1)));
        wm.getWireMock().verifyThat(2, putRequestedFor(urlPathEqualTo(PARTS + 2))
                .withRequestBody(binaryEqualTo(Arrays.copyOfRange(content(), 10, 20))));
        wm.getWireMock().verifyThat(1, putRequestedFor(urlPathEqualTo(PARTS + 3)));
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(PARTS + "complete")));
        wm.getWireMock().verifyThat(0, postRequestedFor(urlPathMatching(REST + "/storage/upload/.*")));
    }

    @Test
    void whenTheCdnFailsTheSignedUploadCarriesTheFileWithoutAnyKey(WireMockRuntimeInfo wm) throws Exception {
        stubToken();
        stubFor(post(urlPathEqualTo(CDN + "/files/upload")).willReturn(aResponse().withStatus(503)));
        stubFor(post(urlPathEqualTo(REST + "/storage/upload/initiate")).willReturn(okJson(
                "{\"upload_url\":\"" + wm.getHttpBaseUrl() + "/signed/obj-1?X-Goog-Signature=abc\","
                        + "\"file_url\":\"https://v3.fal.media/files/obj-1/cat.png\"}")));
        stubFor(put(urlPathEqualTo("/signed/obj-1")).willReturn(aResponse().withStatus(200)));
        Path file = Files.write(dir.resolve("cat.png"), new byte[] {1, 2, 3});
        try (FalClient fal = storageBuilder(wm).build()) {
            assertThat(fal.storage().upload(file)).isEqualTo("https://v3.fal.media/files/obj-1/cat.png");
        }
        // the CDN call was retried as a safe call first
        wm.getWireMock().verifyThat(3, postRequestedFor(urlPathEqualTo(CDN + "/files/upload")));
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(REST + "/storage/upload/initiate"))
                .withQueryParam("storage_type", equalTo("fal-cdn-v3"))
                .withHeader("Authorization", equalTo("Key " + FalTestSupport.KEY))
                .withRequestBody(equalToJson("{\"content_type\":\"image/png\",\"file_name\":\"cat.png\"}")));
        wm.getWireMock().verifyThat(1, putRequestedFor(urlPathEqualTo("/signed/obj-1"))
                .withQueryParam("X-Goog-Signature", equalTo("abc"))
                .withHeader("Authorization", absent())
                .withHeader("Content-Type", equalTo("image/png"))
                .withRequestBody(binaryEqualTo(new byte[] {1, 2, 3})));
        assertThat(keysSentToStorageHosts(wm)).isEmpty();
    }

    @Test
    void aFinalFailureNamesTheFileAndThePart(WireMockRuntimeInfo wm) throws Exception {
        stubCreateAndComplete(wm);
        stubPart(1, 0);
        stubPart(3, 0);
        stubFor(put(urlPathEqualTo(PARTS + 2)).willReturn(aResponse().withStatus(503)));
        stubFor(post(urlPathEqualTo(REST + "/storage/upload/initiate")).willReturn(aResponse().withStatus(500)
                .withBody("{\"detail\":\"storage unavailable\"}")));
        Path file = Files.write(dir.resolve("big.bin"), content());
        try (FalClient fal = multipart(wm).build()) {
            assertThatThrownBy(() -> fal.storage().upload(file)).isInstanceOfSatisfying(FalUploadException.class,
                    e -> {
                        assertThat(e.fileName()).isEqualTo("big.bin");
                        assertThat(e.part()).hasValue(2);
                        assertThat(e.getMessage()).contains("'big.bin' (25 bytes)", "at part 2 of 3", "503",
                                "fallback", "storage unavailable").doesNotContain(FalTestSupport.KEY, TOKEN);
                    });
        }
        wm.getWireMock().verifyThat(3, putRequestedFor(urlPathEqualTo(PARTS + 2)));
        wm.getWireMock().verifyThat(0, postRequestedFor(urlPathEqualTo(PARTS + "complete")));
    }

    @Test
    void aMissingKeyIsReportedAsSuchWithoutAFallback(WireMockRuntimeInfo wm) {
        try (FalClient fal = FalTestSupport.withEnvironment(storageBuilder(wm), null, null, java.util.Map.of())) {
            assertThatThrownBy(() -> fal.storage().upload(new byte[] {1}, "image/png"))
                    .isInstanceOf(MissingCredentialsException.class);
        }
        assertThat(wm.getWireMock().getServeEvents()).isEmpty();
    }

    @Test
    void badInputIsRefusedBeforeAnyCall(WireMockRuntimeInfo wm) {
        try (FalClient fal = storageBuilder(wm).build()) {
            assertThatThrownBy(() -> fal.storage().upload(dir.resolve("missing.png")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing.png");
            assertThatThrownBy(() -> fal.storage().upload(new byte[1], " "))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("contentType");
            assertThatThrownBy(() -> fal.storage().upload(new byte[1], "image/png", "a/b.png"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fileName");
            assertThatThrownBy(() -> fal.storage().upload(new byte[1], "image/png", "a.png",
                    dev.falclient.storage.UploadOptions.DEFAULTS.withExpiresIn("2 weeks")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expiresIn");
        }
        assertThat(wm.getWireMock().getServeEvents()).isEmpty();
    }
}
