package dev.falclient.emulator;

import static dev.falclient.emulator.Http.get;
import static dev.falclient.emulator.Http.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the emulated gateway checks before a call gets anywhere: the key. */
class AdmissionTest extends EmulatorTest {


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
        assertThat(emu.requests(CallKind.SUBMIT)).hasSize(4);

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

}
