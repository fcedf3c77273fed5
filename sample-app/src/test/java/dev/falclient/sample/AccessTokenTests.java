package dev.falclient.sample;

import dev.falclient.emulator.CallKind;
import dev.falclient.emulator.FalEmulator;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** {@code sample.access-token}: the way to protect the app when it is exposed beyond this machine. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sample.fal.mode=emulator",
        "sample.demo.enabled=false",
        "sample.access-token=s3cret-token"})
class AccessTokenTests {

    @LocalServerPort
    int port;

    @Autowired
    FalEmulator emulator;

    WebTestClient page;

    @BeforeEach
    void client() {
        page = OneConnectionPerExchange.webTestClient(port);
    }

    @Test
    void withoutTheTokenOnlyThePageAndHealthAnswer() {
        int submitsBefore = emulator.requests(CallKind.SUBMIT).size();
        page.get().uri("/").exchange().expectStatus().isOk();
        page.get().uri("/app.js").exchange().expectStatus().isOk();
        page.get().uri("/fal-js.html").exchange().expectStatus().isOk();
        page.get().uri("/fal-js.js").exchange().expectStatus().isOk();
        page.get().uri("/actuator/health").exchange().expectStatus().isOk();
        for (String path : new String[] {"/mode", "/generations/x", "/actuator/info", "/images/x"}) {
            page.get().uri(path).exchange().expectStatus().isUnauthorized()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        }
        page.post().uri("/generations").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"prompt\": \"x\"}")
                .exchange().expectStatus().isUnauthorized();
        page.post().uri("/generations").header(RequestGuard.TOKEN_HEADER, "wrong")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"prompt\": \"x\"}")
                .exchange().expectStatus().isUnauthorized();
        Assertions.assertThat(emulator.requests(CallKind.SUBMIT)).hasSize(submitsBefore);
    }

    @Test
    void theTokenInTheHeaderOrTheCookieLetsCallsThrough() {
        page.get().uri("/mode").header(RequestGuard.TOKEN_HEADER, "s3cret-token").exchange().expectStatus().isOk();
        page.get().uri("/mode").cookie(RequestGuard.TOKEN_COOKIE, "s3cret-token").exchange().expectStatus().isOk();
        page.post().uri("/generations").cookie(RequestGuard.TOKEN_COOKIE, "s3cret-token")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"prompt\": \"x\"}")
                .exchange().expectStatus().isAccepted();
    }

    @Test
    void theRealtimeSocketNeedsTheTokenToo() {
        String session = BrowserSession.newId();
        BrowserSocket withoutToken = BrowserSocket.ofPage(port, session);
        Assertions.assertThat(withoutToken.refusedWith()).isEqualTo(401);
        page.get().uri("/realtime.html").exchange().expectStatus().isOk();
        page.get().uri("/realtime.js").exchange().expectStatus().isOk();
        try (BrowserSocket withToken = BrowserSocket.open(port, h -> h.set("Origin", "http://127.0.0.1:" + port)
                .set("Cookie", BrowserSession.COOKIE + "=" + session + "; " + RequestGuard.TOKEN_COOKIE
                        + "=s3cret-token"))) {
            Assertions.assertThat(withToken.next().path("type").asString()).isEqualTo("ready");
        }
    }

    @Test
    void theFalProxyNeedsTheTokenToo() {
        int submitsBefore = emulator.requests(CallKind.SUBMIT).size();
        page.post().uri("/api/fal/proxy").header("X-Fal-Target-Url", "https://queue.fal.run/fal-ai/fast-sdxl")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"prompt\": \"x\"}")
                .exchange().expectStatus().isUnauthorized();
        Assertions.assertThat(emulator.requests(CallKind.SUBMIT)).hasSize(submitsBefore);
        page.post().uri("/api/fal/proxy").header("X-Fal-Target-Url", "https://queue.fal.run/fal-ai/fast-sdxl")
                .cookie(RequestGuard.TOKEN_COOKIE, "s3cret-token")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"prompt\": \"x\"}")
                .exchange().expectStatus().isOk();
        Assertions.assertThat(emulator.requests(CallKind.SUBMIT)).hasSize(submitsBefore + 1);
    }
}
