package dev.falclient.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The storage routes as fal's hosts answer them: who needs which credential, and what is stored. */
class StorageRoutesTests extends EmulatorTestBase {

    @BeforeEach
    void start() {
        emu = FalEmulator.start();
    }

    private String token() {
        return Http.send(Http.request(emu.restUrl() + "/storage/auth/token?storage_type=fal-cdn-v3")
                .header("Authorization", Http.KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build()).json().get("token").asString();
    }

    private Http.Resp upload(String authorization, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(emu.cdnUrl() + "/files/upload"))
                .header("Content-Type", "text/plain").header("X-Fal-File-Name", "a.txt")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return Http.send(request.build());
    }

    @Test
    void theTokenNeedsTheKeyAndUploadsNeedTheToken() {
        Http.Resp noKey = Http.send(HttpRequest.newBuilder(URI.create(emu.restUrl()
                        + "/storage/auth/token?storage_type=fal-cdn-v3")).POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(noKey.status()).isEqualTo(401);
        assertThat(upload(null, new byte[] {1}).status()).isEqualTo(401);
        assertThat(upload(Http.KEY, new byte[] {1}).status()).isEqualTo(401);
        Http.Resp ok = upload("Bearer " + token(), "hello".getBytes(StandardCharsets.UTF_8));
        assertThat(ok.status()).isEqualTo(200);
        String url = ok.json().get("access_url").asString();
        Http.Resp served = Http.get(url);
        assertThat(served.body()).isEqualTo("hello");
        assertThat(served.header("Content-Type")).isEqualTo("text/plain");
        assertThat(emu.uploads()).singleElement().satisfies(u -> assertThat(u.size()).isEqualTo(5));
    }

    @Test
    void aPreSignedUrlRefusesCredentials() {
        Http.Resp initiated = Http.post(emu.restUrl() + "/storage/upload/initiate?storage_type=fal-cdn-v3",
                "{\"content_type\":\"text/plain\",\"file_name\":\"b.txt\"}");
        String uploadUrl = initiated.json().get("upload_url").asString();
        Http.Resp withKey = Http.send(HttpRequest.newBuilder(URI.create(uploadUrl)).header("Authorization", Http.KEY)
                .PUT(HttpRequest.BodyPublishers.ofString("x")).build());
        assertThat(withKey.status()).isEqualTo(400);
        Http.Resp plain = Http.send(HttpRequest.newBuilder(URI.create(uploadUrl)).header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString("bee")).build());
        assertThat(plain.status()).isEqualTo(200);
        assertThat(Http.get(initiated.json().get("file_url").asString()).body()).isEqualTo("bee");
    }

    @Test
    void resetForgetsFilesAndTokens() {
        String url = upload("Bearer " + token(), new byte[] {'z'}).json().get("access_url").asString();
        emu.reset();
        assertThat(emu.uploads()).isEmpty();
        assertThat(Http.get(url).status()).isEqualTo(404);
    }
}
