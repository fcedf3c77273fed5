package dev.falclient.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.falclient.emulator.CallKind;
import dev.falclient.emulator.FalEmulator;
import dev.falclient.emulator.UploadedFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import tools.jackson.databind.JsonNode;

/** The page's image upload: the sample uploads the picture through the client and runs image-to-image on its URL. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sample.fal.mode=emulator",
        "sample.demo.enabled=false",
        "sample.emulator.processing-time=100ms"})
class ImageEditEndToEndTests {

    private static final byte[] IMAGE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 1, 2, 3, 4};

    @LocalServerPort
    int port;

    WebTestClient web;

    @Autowired
    FalEmulator emulator;

    @Autowired
    SampleProperties properties;

    @BeforeEach
    void client() {
        web = OneConnectionPerExchange.webTestClient(port);
        emulator.reset();
    }

    private static MultipartBodyBuilder form(byte[] bytes, String fileName, MediaType type, String prompt) {
        MultipartBodyBuilder form = new MultipartBodyBuilder();
        form.part("image", new ByteArrayResource(bytes) {
            @Override
            public String getFilename() {
                return fileName;
            }
        }).contentType(type);
        form.part("prompt", prompt);
        return form;
    }

    @Test
    void anUploadedImageReachesTheModelAsItsUrl() throws Exception {
        JsonNode edited = web.post().uri("/edits").contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(form(IMAGE, "cat.png", MediaType.IMAGE_PNG, "a tiger").build()))
                .exchange()
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();

        UploadedFile upload = emulator.uploads().get(0);
        assertThat(upload.fileName()).isEqualTo("cat.png");
        assertThat(upload.contentType()).isEqualTo("image/png");
        assertThat(upload.size()).isEqualTo(IMAGE.length);
        assertThat(edited.path("uploadedUrl").asString()).isEqualTo(upload.url());
        assertThat(edited.path("endpointId").asString()).isEqualTo(properties.editEndpointId());
        // the emulated model echoes the image URL it was given
        assertThat(edited.path("output").path("input_image_url").asString()).isEqualTo(upload.url());
        assertThat(edited.path("output").path("images").get(0).path("url").asString()).startsWith(emulator.cdnUrl());
        assertThat(emulator.requests(CallKind.RUN)).singleElement().satisfies(run -> {
            assertThat(run.endpointId()).isEqualTo(properties.editEndpointId());
            assertThat(run.body()).contains(upload.url()).contains("a tiger");
        });

        HttpResponse<byte[]> served = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(upload.url()))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(served.body()).isEqualTo(IMAGE);
    }

    @Test
    void aFileThatIsNoImageIsRefusedWithoutAnyUpload() {
        web.post().uri("/edits").contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(form(new byte[] {1}, "notes.txt", MediaType.TEXT_PLAIN, "x")
                        .build()))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(detail -> assertThat(String.valueOf(detail))
                        .contains("must be an image"));
        assertThat(emulator.uploads()).isEmpty();
        assertThat(emulator.requests(CallKind.UPLOAD)).isEmpty();
    }
}
