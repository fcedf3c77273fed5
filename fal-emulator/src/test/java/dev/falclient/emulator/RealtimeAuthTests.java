package dev.falclient.emulator;

import static dev.falclient.emulator.Http.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who may open a realtime session, and with which query: checked before the upgrade, as fal's gateway does. */
class RealtimeAuthTests extends EmulatorTestBase {

    private String token(String... apps) {
        String list = String.join("\",\"", apps);
        return post(emu.restUrl() + "/tokens/", "{\"allowed_apps\":[\"" + list + "\"]}").json().asString();
    }

    private String realtimeUrl(String endpointId, String query) {
        return emu.runUrl() + "/" + endpointId + "/realtime" + (query.isEmpty() ? "" : "?" + query);
    }

    @Test
    void missingAndUnknownTokensAre401AndNoUpgrade() throws Exception {
        emu = FalEmulator.start();
        Ws.Refused missing = Ws.refused(realtimeUrl("fal-ai/fast-lcm-diffusion", ""), Map.of());
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.body().path("detail").asString()).contains("fal_jwt_token");
        Ws.Refused unknown = Ws.refused(realtimeUrl("fal-ai/fast-lcm-diffusion", "fal_jwt_token=eyJnope"), Map.of());
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.body().path("detail").asString()).isEqualTo("Invalid token");
        assertThat(Ws.refusedStatus(realtimeUrl("fal-ai/fast-lcm-diffusion", "fal_jwt_token=x"))).isEqualTo(401);
        assertThat(emu.requests(CallKind.REALTIME)).hasSize(3);
        assertThat(emu.realtimeSessions()).isEmpty();
    }

    @Test
    void anExpiredTokenIs401SayingSo() throws Exception {
        emu = FalEmulator.start();
        String token = post(emu.restUrl() + "/tokens/", "{\"allowed_apps\":[\"fast-lcm-diffusion\"],"
                + "\"token_expiration\":1}").json().asString();
        Instant expiry = emu.issuedTokens().get(0).expiresAt();
        await().atMost(Http.PATIENCE).until(() -> Instant.now().isAfter(expiry));
        Ws.Refused r = Ws.refused(realtimeUrl("fal-ai/fast-lcm-diffusion", "fal_jwt_token=" + token), Map.of());
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.body().path("detail").asString()).containsIgnoringCase("expired");
    }

    @Test
    void aTokenForAnotherAppIs403AndAliasesAreMatchedLikeFals() throws Exception {
        emu = FalEmulator.start();
        String token = token("flux", "sdxl-sticker");
        Ws.Refused r = Ws.refused(realtimeUrl("fal-ai/fast-lcm-diffusion", "fal_jwt_token=" + token), Map.of());
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body().path("detail").asString()).contains("fast-lcm-diffusion");
        // the alias is the second segment, the third after a namespace; a sub-path does not matter
        Ws.connect(realtimeUrl("fal-ai/flux/dev", "fal_jwt_token=" + token)).close(1000);
        Ws.connect(realtimeUrl("workflows/fal-ai/sdxl-sticker", "fal_jwt_token=" + token)).close(1000);
        await().atMost(Http.PATIENCE).until(() -> emu.realtimeSessions().size() == 2);
        assertThat(emu.realtimeSessions()).extracting(RealtimeSession::endpointId)
                .containsExactly("fal-ai/flux/dev", "workflows/fal-ai/sdxl-sticker");
    }

    @Test
    void theKeyAsAHandshakeHeaderIsAcceptedLikeOnOtherCalls() throws Exception {
        emu = FalEmulator.builder().requiredKey("test-key").start();
        Ws ws = Ws.connect(realtimeUrl("fal-ai/fast-lcm-diffusion", ""), Http.KEY);
        ws.send(Ws.msgpack(Map.of("prompt", "p"))).awaitOutputs(1);
        assertThat(emu.realtimeSessions()).singleElement().satisfies(s -> {
            assertThat(s.auth()).isEqualTo(RealtimeSession.Auth.KEY);
            assertThat(s.token()).isNull();
        });
        Ws.Refused wrong = Ws.refused(realtimeUrl("fal-ai/fast-lcm-diffusion", ""),
                Map.of("Authorization", "Key other"));
        assertThat(wrong.status()).isEqualTo(401);
    }

    @Test
    void maxBufferingMustBeAnIntegerFrom1To60() throws Exception {
        emu = FalEmulator.start();
        String token = token("fast-lcm-diffusion");
        for (String bad : List.of("0", "61", "abc", "2.5", "")) {
            Ws.Refused r = Ws.refused(realtimeUrl("fal-ai/fast-lcm-diffusion",
                    "fal_jwt_token=" + token + "&max_buffering=" + bad), Map.of());
            assertThat(r.status()).as(bad).isEqualTo(422);
            assertThat(r.body().path("detail").get(0).path("loc").toString())
                    .isEqualTo("[\"query\",\"max_buffering\"]");
        }
        Ws.connect(realtimeUrl("fal-ai/fast-lcm-diffusion", "fal_jwt_token=" + token + "&max_buffering=60"))
                .close(1000);
        await().atMost(Http.PATIENCE).until(() -> !emu.realtimeSessions().isEmpty());
        RealtimeSession s = emu.realtimeSessions().get(0);
        assertThat(s.query()).containsExactly(Map.entry("max_buffering", "60"));
        assertThat(s.auth()).isEqualTo(RealtimeSession.Auth.TOKEN);
        assertThat(s.token()).isEqualTo(token);
        assertThat(s.toString()).doesNotContain(token);
    }

    @Test
    void aPlainGetIsToldToUpgrade() {
        emu = FalEmulator.start();
        Http.Resp r = Http.get(realtimeUrl("fal-ai/fast-lcm-diffusion", ""));
        assertThat(r.status()).isEqualTo(426);
    }

    @Test
    void anArmedFaultRefusesTheConnectBeforeTheUpgrade() throws Exception {
        emu = FalEmulator.start();
        String token = token("fast-lcm-diffusion");
        emu.fault(CallKind.REALTIME).httpStatus(503);
        Ws.Refused r = Ws.refused(realtimeUrl("fal-ai/fast-lcm-diffusion", "fal_jwt_token=" + token), Map.of());
        assertThat(r.status()).isEqualTo(503);
        Ws.connect(realtimeUrl("fal-ai/fast-lcm-diffusion", "fal_jwt_token=" + token)).close(1000);
        assertThat(emu.traffic().calls(CallKind.REALTIME)).isEqualTo(2);
    }

    @Test
    void resetForgetsTokensAndSessionsAndClosesOpenSessionsWith1001() {
        emu = FalEmulator.start();
        String token = token("fast-lcm-diffusion");
        Ws ws = Ws.connect(realtimeUrl("fal-ai/fast-lcm-diffusion", "fal_jwt_token=" + token));
        await().atMost(Http.PATIENCE).until(() -> !emu.realtimeSessions().isEmpty());
        emu.reset();
        assertThat(ws.awaitClose()).isEqualTo(1001);
        assertThat(emu.realtimeSessions()).isEmpty();
        assertThat(emu.issuedTokens()).isEmpty();
        assertThat(Ws.refusedStatus(realtimeUrl("fal-ai/fast-lcm-diffusion", "fal_jwt_token=" + token)))
                .isEqualTo(401);
    }
}
