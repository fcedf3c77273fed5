package dev.falclient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.falclient.FalTestSupport.RUN;
import static dev.falclient.StorageStubs.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.extension.ResponseTransformerV2;
import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.falclient.storage.FalUploadException;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.ByteArrayResource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Files anywhere in the arguments are uploaded before the call and replaced by their URLs. */
@WireMockTest
class AutoUploadTests {

    private static final String APP = "fal-ai/flux/dev/image-to-image";
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @TempDir
    Path dir;

    record Layer(String name, Path mask) {
    }

    record Input(String prompt, Path image, List<Object> references, Layer layer, File[] extras) {
    }

    /** Each upload answers a URL naming the file it received. */
    private static void stubUploadsEchoingTheName(WireMockRuntimeInfo wm) {
        stubToken();
        for (String name : List.of("a.png", "b.jpg", "mask.png", "c.webp", "logo.svg")) {
            stubFor(post(urlPathEqualTo(CDN + "/files/upload")).withHeader("X-Fal-File-Name", equalTo(name))
                    .willReturn(okJson("{\"access_url\":\"https://v3.fal.media/files/" + name + "\"}")));
        }
        stubFor(post(urlPathEqualTo(RUN + "/" + APP)).willReturn(okJson("{\"ok\":true}")));
    }

    private Path file(String name) throws Exception {
        return Files.write(dir.resolve(name), name.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode runBody(WireMockRuntimeInfo wm) {
        List<LoggedRequest> runs = wm.getWireMock().find(postRequestedFor(urlPathEqualTo(RUN + "/" + APP)));
        assertThat(runs).hasSize(1);
        return MAPPER.readTree(runs.get(0).getBodyAsString());
    }

    @Test
    void filesInNestedRecordsListsArraysAndMapsBecomeUrls(WireMockRuntimeInfo wm) throws Exception {
        stubUploadsEchoingTheName(wm);
        Path a = file("a.png");
        String dataUrl = "data:image/png;base64,AAAA";
        Input input = new Input("a tiger", a,
                List.of(file("b.jpg").toFile(), "https://example.com/x.png", dataUrl, Map.of("deep", a)),
                new Layer("top", file("mask.png")), new File[] {file("c.webp").toFile()});
        try (FalClient fal = storageBuilder(wm).build()) {
            fal.run(APP, input);
        }
        JsonNode body = runBody(wm);
        assertThat(body.get("prompt").asString()).isEqualTo("a tiger");
        assertThat(body.get("image").asString()).isEqualTo("https://v3.fal.media/files/a.png");
        assertThat(body.get("references").get(0).asString()).isEqualTo("https://v3.fal.media/files/b.jpg");
        assertThat(body.get("references").get(1).asString()).isEqualTo("https://example.com/x.png");
        assertThat(body.get("references").get(2).asString()).isEqualTo(dataUrl);
        assertThat(body.get("references").get(3).get("deep").asString()).isEqualTo("https://v3.fal.media/files/a.png");
        assertThat(body.get("layer").get("mask").asString()).isEqualTo("https://v3.fal.media/files/mask.png");
        assertThat(body.get("extras").get(0).asString()).isEqualTo("https://v3.fal.media/files/c.webp");
        // a.png appears twice but is uploaded once; each upload carries its file's bytes and type
        wm.getWireMock().verifyThat(4, postRequestedFor(urlPathEqualTo(CDN + "/files/upload")));
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(CDN + "/files/upload"))
                .withHeader("X-Fal-File-Name", equalTo("b.jpg")).withHeader("Content-Type", equalTo("image/jpeg"))
                .withRequestBody(binaryEqualTo("b.jpg".getBytes(StandardCharsets.UTF_8))));
        assertThat(tokenRequests(wm)).hasSize(1);
        assertThat(keysSentToStorageHosts(wm)).isEmpty();
    }

    @Test
    void springResourcesAreUploadedAndSubmitAndSubscribeUploadToo(WireMockRuntimeInfo wm) throws Exception {
        stubUploadsEchoingTheName(wm);
        stubFor(FalTestSupport.submitStub(wm, APP, "fal-ai/flux", "req-1"));
        ByteArrayResource logo = new ByteArrayResource("<svg/>".getBytes(StandardCharsets.UTF_8)) {
            @Override
            public String getFilename() {
                return "logo.svg";
            }
        };
        try (AsyncFalClient fal = storageBuilder(wm).build().async()) {
            fal.submit(APP, Map.of("image_url", logo)).block();
        }
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(CDN + "/files/upload"))
                .withHeader("Content-Type", equalTo("image/svg+xml"))
                .withRequestBody(binaryEqualTo("<svg/>".getBytes(StandardCharsets.UTF_8))));
        List<LoggedRequest> submits = wm.getWireMock().find(postRequestedFor(
                urlPathEqualTo(FalTestSupport.QUEUE + "/" + APP)));
        assertThat(submits).hasSize(1);
        assertThat(MAPPER.readTree(submits.get(0).getBodyAsString()).get("image_url").asString())
                .isEqualTo("https://v3.fal.media/files/logo.svg");
    }

    @Test
    void nothingIsUploadedOrSentBeforeSubscription(WireMockRuntimeInfo wm) throws Exception {
        stubUploadsEchoingTheName(wm);
        try (AsyncFalClient fal = storageBuilder(wm).build().async()) {
            fal.run(APP, Map.of("image_url", file("a.png")));
        }
        assertThat(wm.getWireMock().find(anyRequestedFor(anyUrl()))).isEmpty();
    }

    @Test
    void withAutomaticUploadOffFilesAreRefused(WireMockRuntimeInfo wm) throws Exception {
        Path a = file("a.png");
        try (FalClient fal = storageBuilder(wm).autoUpload(false).build()) {
            assertThatThrownBy(() -> fal.run(APP, Map.of("image_url", a))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("at 'image_url'").hasMessageContaining("automatic upload of files is "
                            + "switched off");
        }
        assertThat(wm.getWireMock().find(anyRequestedFor(anyUrl()))).isEmpty();
    }

    @Test
    void aBadEndpointIdFailsBeforeAnyUpload(WireMockRuntimeInfo wm) throws Exception {
        Path a = file("a.png");
        try (FalClient fal = storageBuilder(wm).build()) {
            assertThatThrownBy(() -> fal.async().run("not an id", Map.of("image_url", a)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(wm.getWireMock().find(anyRequestedFor(anyUrl()))).isEmpty();
    }

    @Test
    void aFailedUploadFailsTheCallWithoutSendingIt(WireMockRuntimeInfo wm) throws Exception {
        stubToken();
        stubFor(post(urlPathEqualTo(CDN + "/files/upload")).willReturn(aResponse().withStatus(400)
                .withBody("{\"detail\":\"bad file\"}")));
        stubFor(post(urlPathEqualTo(REST + "/storage/upload/initiate")).willReturn(aResponse().withStatus(400)
                .withBody("{\"detail\":\"still bad\"}")));
        Path a = file("a.png");
        try (FalClient fal = storageBuilder(wm).build()) {
            assertThatThrownBy(() -> fal.run(APP, Map.of("image_url", a)))
                    .isInstanceOfSatisfying(FalUploadException.class, e -> {
                        assertThat(e.fileName()).isEqualTo("a.png");
                        assertThat(e.part()).isEmpty();
                        assertThat(e.getMessage()).contains("bad file", "still bad");
                    });
        }
        wm.getWireMock().verifyThat(0, postRequestedFor(urlPathEqualTo(RUN + "/" + APP)));
    }
}
