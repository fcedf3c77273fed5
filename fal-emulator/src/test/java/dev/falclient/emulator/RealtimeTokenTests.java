package dev.falclient.emulator;

import static dev.falclient.emulator.Http.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RealtimeTokenTests extends EmulatorTestBase {

    @Test
    void aTokenIsABareJwtShapedJsonStringRememberedWithItsAppsAndExpiry() {
        emu = FalEmulator.start();
        Http.Resp r = post(emu.restUrl() + "/tokens/",
                "{\"allowed_apps\":[\"fast-lcm-diffusion\"],\"token_expiration\":300}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("content-type")).startsWith("application/json");
        assertThat(r.json().isString()).isTrue();
        String token = r.json().asString();
        assertThat(token).startsWith("eyJ").matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{40,}");

        assertThat(emu.issuedTokens()).singleElement().satisfies(t -> {
            assertThat(t.token()).isEqualTo(token);
            assertThat(t.allowedApps()).containsExactly("fast-lcm-diffusion");
            assertThat(Duration.between(t.issuedAt(), t.expiresAt())).isEqualTo(Duration.ofSeconds(300));
            assertThat(t.toString()).doesNotContain(token).contains("fast-lcm-diffusion");
        });
        assertThat(emu.requests(CallKind.REALTIME_TOKEN)).singleElement()
                .satisfies(rec -> assertThat(rec.body()).contains("allowed_apps"));
    }

    @Test
    void withoutTrailingSlashAndWithoutExpirationTheTokenLastsFalsDefault120Seconds() {
        emu = FalEmulator.start();
        Http.Resp r = post(emu.restUrl() + "/tokens", "{\"allowed_apps\":[\"a\",\"b\"]}");
        assertThat(r.status()).isEqualTo(200);
        String second = post(emu.restUrl() + "/tokens/", "{\"allowed_apps\":[\"a\"]}").json().asString();
        assertThat(second).isNotEqualTo(r.json().asString());
        assertThat(emu.issuedTokens()).hasSize(2).first().satisfies(t -> {
            assertThat(t.allowedApps()).containsExactly("a", "b");
            assertThat(Duration.between(t.issuedAt(), t.expiresAt())).isEqualTo(Duration.ofSeconds(120));
        });
    }

    @Test
    void theTokenRouteNeedsTheKey() {
        emu = FalEmulator.builder().requiredKey("test-key").start();
        Http.Resp none = Http.send(HttpRequest.newBuilder(java.net.URI.create(emu.restUrl() + "/tokens/"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"allowed_apps\":[\"a\"]}")).build());
        assertThat(none.status()).isEqualTo(401);
        Http.Resp wrong = Http.send(HttpRequest.newBuilder(java.net.URI.create(emu.restUrl() + "/tokens/"))
                .header("Authorization", "Key other")
                .POST(HttpRequest.BodyPublishers.ofString("{\"allowed_apps\":[\"a\"]}")).build());
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(emu.issuedTokens()).isEmpty();
        assertThat(Http.get(emu.restUrl() + "/tokens/").status()).isEqualTo(405);
    }

    @Test
    void badBodiesAre422WithTheFieldNamed() {
        emu = FalEmulator.start();
        List<String> appsWrong = List.of("{}", "{\"allowed_apps\":[]}", "{\"allowed_apps\":\"a\"}",
                "{\"allowed_apps\":[1]}", "{\"allowed_apps\":[\"\"]}");
        for (String body : appsWrong) {
            Http.Resp r = post(emu.restUrl() + "/tokens/", body);
            assertThat(r.status()).as(body).isEqualTo(422);
            assertThat(r.json().path("detail").get(0).path("loc").toString()).as(body)
                    .isEqualTo("[\"body\",\"allowed_apps\"]");
        }
        for (String expiration : List.of("0", "-5", "1.5", "\"60\"", "99999999999")) {
            Http.Resp r = post(emu.restUrl() + "/tokens/",
                    "{\"allowed_apps\":[\"a\"],\"token_expiration\":" + expiration + "}");
            assertThat(r.status()).as(expiration).isEqualTo(422);
            assertThat(r.json().path("detail").get(0).path("loc").get(1).asString()).isEqualTo("token_expiration");
        }
        assertThat(post(emu.restUrl() + "/tokens/", "{not json").status()).isEqualTo(422);
        assertThat(post(emu.restUrl() + "/tokens/", "[\"a\"]").json().path("detail").get(0).path("loc").toString())
                .isEqualTo("[\"body\"]");
        assertThat(emu.issuedTokens()).isEmpty();
    }

    @Test
    void resetForgetsTheTokens() {
        emu = FalEmulator.start();
        String token = post(emu.restUrl() + "/tokens/", "{\"allowed_apps\":[\"x\"]}").json().asString();
        emu.reset();
        assertThat(emu.issuedTokens()).isEmpty();
        assertThat(token).isNotBlank();
    }
}
