package dev.falclient.emulator;

import static dev.falclient.emulator.Http.get;
import static dev.falclient.emulator.Http.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the emulated gateway checks before a call gets anywhere: the key, then the body size. */
class AdmissionTests extends EmulatorTestBase {

    /** Far more than the emulator would buffer: an answer to it proves the body was not read first. */
    private static final long HUGE = 800L * 1024 * 1024;


    @Test
    void authIsRequiredExceptForGeneratedFiles() {
        emu = FalEmulator.builder().requiredKey("secret").processingTime(Duration.ofMillis(10)).start();
        String url = emu.queueUrl() + "/fal-ai/fast-sdxl";

        Http.Resp none = Http.send(HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("content-type")).startsWith("application/json");
        assertThat(none.json().path("detail").asString()).isEqualTo("Missing authorization header");

        Http.Resp wrong = post(url, "{}"); // Http sends "Key test-key"
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().path("detail").asString()).isEqualTo("No user found for Key ID and Secret");

        Http.Resp empty = Http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Key ")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(empty.status()).isEqualTo(401);

        Http.Resp ok = Http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Key secret")
                .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}")).build());
        assertThat(ok.status()).isEqualTo(200);
        // every call is recorded; the body only when the key let it be read
        assertThat(emu.requests(CallKind.SUBMIT)).extracting(RecordedRequest::body)
                .containsExactly("", "", "", "{\"a\":1}");

        // a status call needs auth too
        assertThat(get(ok.json().path("status_url").asString()).status()).isEqualTo(401);
        // files are public
        Http.Resp png = Http.send(HttpRequest.newBuilder(URI.create(emu.cdnUrl() + "/files/whatever.png")).build());
        assertThat(png.status()).isEqualTo(200);
    }

    @Test
    void anyNonEmptyKeyIsAcceptedByDefault() {
        emu = FalEmulator.start();
        assertThat(post(emu.queueUrl() + "/fal-ai/fast-sdxl", "{}").status()).isEqualTo(200);
    }

    @Test
    void aWrongKeyIsAnswered401BeforeTheBodyIsSent() throws Exception {
        emu = FalEmulator.builder().requiredKey("secret").start();
        URI uri = URI.create(emu.queueUrl() + "/fal-ai/x");
        String statusLine = Http.rawStatusLine(uri, head(uri, "Key wrong", "Content-Length: " + HUGE), new byte[0]);

        assertThat(statusLine).isEqualTo("HTTP/1.1 401 Unauthorized");
        assertThat(emu.requests(CallKind.SUBMIT)).singleElement()
                .satisfies(r -> assertThat(r.body()).isEmpty());
    }

    @Test
    void aDeclaredOversizeBodyIsAnswered413BeforeItIsSent() throws Exception {
        emu = FalEmulator.builder().maxBodySize(1024).start();
        URI uri = URI.create(emu.queueUrl() + "/fal-ai/x");
        String statusLine = Http.rawStatusLine(uri, head(uri, Http.KEY, "Content-Length: " + HUGE), new byte[0]);

        assertThat(statusLine).isEqualTo("HTTP/1.1 413 Request Entity Too Large");
        assertThat(emu.requests(CallKind.SUBMIT)).singleElement()
                .satisfies(r -> assertThat(r.body()).isEmpty());
        // nothing was enqueued, and the next call is served
        assertThat(post(emu.queueUrl() + "/fal-ai/x", "{}").json().path("queue_position").asInt()).isZero();
    }

    @Test
    void anUndeclaredBodyIsCutOffAsSoonAsItPassesTheLimit() throws Exception {
        emu = FalEmulator.builder().maxBodySize(1024).start();
        URI uri = URI.create(emu.queueUrl() + "/fal-ai/x");
        // one 2 KB chunk of a chunked body that never ends: the answer cannot wait for the end
        byte[] chunk = ("800\r\n" + "x".repeat(2048) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        String statusLine = Http.rawStatusLine(uri, head(uri, Http.KEY, "Transfer-Encoding: chunked"), chunk);

        assertThat(statusLine).isEqualTo("HTTP/1.1 413 Request Entity Too Large");
    }

    @Test
    void aBodyBrokenOffMidwayIsNeitherRecordedNorRun() throws Exception {
        emu = FalEmulator.start();
        URI uri = URI.create(emu.queueUrl() + "/fal-ai/x");
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write((head(uri, Http.KEY, "Transfer-Encoding: chunked") + "10\r\n{\"prompt\":")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            await().atMost(Duration.ofSeconds(5)).until(() -> emu.traffic().calls(CallKind.SUBMIT) == 1);
        }
        // fal never sees a request whose body did not arrive whole
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> emu.requests().isEmpty());
        assertThat(post(emu.queueUrl() + "/fal-ai/x", "{}").json().path("queue_position").asInt()).isZero();
    }

    @Test
    void anOversizeBodyGetsAJsonDetailAndOneWithinTheLimitPasses() {
        emu = FalEmulator.builder().maxBodySize(1024).start();
        String url = emu.queueUrl() + "/fal-ai/x";
        Http.Resp tooLarge = post(url, json(1025));
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.header("content-type")).startsWith("application/json");
        assertThat(tooLarge.json().path("detail").asString()).contains("1024 bytes");

        Http.Resp atLimit = post(url, json(1024));
        assertThat(atLimit.status()).isEqualTo(200);
        assertThat(emu.requests(CallKind.SUBMIT).get(1).body()).hasSize(1024);
    }

    /** A JSON object of exactly {@code bytes} bytes. */
    private static String json(int bytes) {
        String open = "{\"prompt\":\"";
        return open + "p".repeat(bytes - open.length() - 2) + "\"}";
    }

    private static String head(URI uri, String authorization, String bodyHeader) {
        return "POST " + uri.getPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + "\r\nAuthorization: " + authorization
                + "\r\nContent-Type: application/json\r\n" + bodyHeader + "\r\n\r\n";
    }
}
