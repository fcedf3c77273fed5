package dev.falclient.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.falclient.AsyncFalClient;
import dev.falclient.FalClient;
import dev.falclient.emulator.CallKind;
import dev.falclient.emulator.FalEmulator;
import dev.falclient.emulator.RecordedRequest;
import dev.falclient.emulator.UploadedFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

/** Uploads against the emulator's storage: every flow round-trips the bytes, faults are survived, keys stay home. */
class EmulatorStorageTests {

    private static final List<CallKind> STORAGE_HOST_CALLS = List.of(CallKind.UPLOAD, CallKind.MULTIPART_START,
            CallKind.UPLOAD_PART, CallKind.MULTIPART_COMPLETE, CallKind.SIGNED_UPLOAD);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @RegisterExtension
    static FalEmulatorExtension fal = FalEmulatorExtension.newInstance(
            builder -> builder.processingTime(Duration.ofMillis(50)).logLines(1));

    @TempDir
    Path dir;

    private final List<FalClient> clients = new ArrayList<>();

    @AfterEach
    void closeClients() {
        clients.forEach(FalClient::close);
    }

    private FalClient client(UnaryOperator<FalClient.Builder> customizer) {
        FalClient client = customizer.apply(fal.clientBuilder().initialBackoff(Duration.ofMillis(10))
                .maxBackoff(Duration.ofMillis(20)).maxAttempts(3)).build();
        clients.add(client);
        return client;
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static HttpResponse<byte[]> download(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void assertNoKeyReachedAStorageHost(FalEmulator emulator) {
        for (CallKind kind : STORAGE_HOST_CALLS) {
            for (RecordedRequest r : emulator.requests(kind)) {
                assertThat(String.valueOf(r.header("Authorization"))).as(kind + " " + r.path())
                        .doesNotContain(fal.key()).doesNotStartWith("Key ");
            }
        }
        assertThat(emulator.requests(CallKind.STORAGE_TOKEN))
                .allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo("Key " + fal.key()));
    }

    @Test
    void anUploadIsServedBackWithItsTypeAndBytes(FalEmulator emulator) throws Exception {
        byte[] bytes = random(3000);
        Path file = Files.write(dir.resolve("photo.jpg"), bytes);
        String url = client(b -> b).storage().upload(file);
        HttpResponse<byte[]> served = download(url);
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        assertThat(served.body()).isEqualTo(bytes);
        assertThat(emulator.uploads()).singleElement().satisfies(u -> {
            assertThat(u.url()).isEqualTo(url);
            assertThat(u.fileName()).isEqualTo("photo.jpg");
            assertThat(u.flow()).isEqualTo(CallKind.UPLOAD);
        });
        assertNoKeyReachedAStorageHost(emulator);
    }

    @Test
    void aMultipartUploadSurvivesAPartFailingOnce(FalEmulator emulator) throws Exception {
        emulator.fault(CallKind.UPLOAD_PART).httpStatus(503);
        byte[] bytes = random(5_500);
        Path file = Files.write(dir.resolve("clip.mp4"), bytes);
        String url = client(b -> b.multipartThreshold(1_000).partSize(1_000).uploadParallelism(3))
                .storage().upload(file);
        assertThat(download(url).body()).isEqualTo(bytes);
        assertThat(emulator.requests(CallKind.UPLOAD_PART)).hasSize(7);
        assertThat(emulator.uploads()).singleElement().satisfies(u -> {
            assertThat(u.flow()).isEqualTo(CallKind.MULTIPART_COMPLETE);
            assertThat(u.contentType()).isEqualTo("video/mp4");
        });
        assertNoKeyReachedAStorageHost(emulator);
    }

    @Test
    void anExpiredTokenIsReplaced(FalEmulator emulator) {
        emulator.fault(CallKind.UPLOAD).expiredToken();
        FalClient client = client(b -> b);
        String url = client.storage().upload(new byte[] {1, 2, 3}, "image/png", "dot.png");
        assertThat(url).startsWith(emulator.cdnUrl() + "/files/");
        assertThat(emulator.requests(CallKind.STORAGE_TOKEN)).hasSize(2);
        assertThat(emulator.requests(CallKind.UPLOAD)).hasSize(2);
    }

    @Test
    void whenTheCdnFailsTheSignedUploadStoresTheFile(FalEmulator emulator) throws Exception {
        emulator.fault(CallKind.UPLOAD).times(3).httpStatus(500);
        byte[] bytes = random(700);
        String url = client(b -> b).storage().upload(bytes, "audio/wav", "voice.wav");
        assertThat(download(url).body()).isEqualTo(bytes);
        assertThat(emulator.uploads()).singleElement()
                .satisfies(u -> assertThat(u.flow()).isEqualTo(CallKind.SIGNED_UPLOAD));
        assertThat(emulator.requests(CallKind.UPLOAD_INITIATE)).singleElement()
                .satisfies(r -> assertThat(r.header("Authorization")).isEqualTo("Key " + fal.key()));
        assertThat(emulator.requests(CallKind.SIGNED_UPLOAD)).singleElement()
                .satisfies(r -> assertThat(r.header("Authorization")).isNull());
        assertNoKeyReachedAStorageHost(emulator);
    }

    @Test
    void concurrentUploadsFetchOneToken(FalEmulator emulator) {
        AsyncFalClient client = client(b -> b).async();
        List<String> urls = Flux.range(0, 12)
                .flatMap(i -> client.storage().upload(new byte[] {i.byteValue()}, "image/png"), 12)
                .collectList().block(Duration.ofSeconds(20));
        assertThat(urls).hasSize(12).doesNotHaveDuplicates();
        assertThat(emulator.requests(CallKind.STORAGE_TOKEN)).hasSize(1);
    }

    @Test
    void aFileInTheArgumentsReachesTheModelAsItsUrl(FalEmulator emulator) throws Exception {
        byte[] bytes = random(1_234);
        Path file = Files.write(dir.resolve("cat.png"), bytes);
        JsonNode output = client(b -> b).subscribe("fal-ai/flux/dev/image-to-image",
                Map.of("prompt", "a tiger", "image_url", file));
        UploadedFile upload = emulator.uploads().get(0);
        assertThat(output.path("input_image_url").asString()).isEqualTo(upload.url());
        assertThat(download(upload.url()).body()).isEqualTo(bytes);
        assertThat(emulator.requests(CallKind.SUBMIT).get(0).body())
                .contains("\"image_url\":\"" + upload.url() + "\"");
    }
}
