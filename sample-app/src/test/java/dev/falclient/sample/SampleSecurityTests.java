package dev.falclient.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.falclient.emulator.CallKind;
import dev.falclient.emulator.FalEmulator;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * The sample tried as an attacker would: another web site (no page header, a foreign {@code Origin} or
 * {@code Sec-Fetch-Site}), another browser (another session), a link with {@code ?prompt=}, a failing fal.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sample.fal.mode=emulator",
        "sample.demo.enabled=false",
        "sample.emulator.processing-time=1h",
        "sample.emulator.workers=1"})
class SampleSecurityTests {

    @LocalServerPort
    int port;

    @Autowired
    FalEmulator emulator;

    @Autowired
    Environment environment;

    WebTestClient page;

    @BeforeEach
    void client() {
        page = OneConnectionPerExchange.webTestClient(port);
    }

    @AfterEach
    void resetFaults() {
        emulator.reset();
        emulator.endpoint("fal-ai/fast-sdxl").workers(1).processingTime(Duration.ofHours(1));
    }

    @Test
    void bindsToLoopbackByDefault() throws Exception {
        assertThat(environment.getProperty("server.address")).isEqualTo("127.0.0.1");
        assertThat(InetAddress.getByName(environment.getProperty("server.address")).isLoopbackAddress()).isTrue();
    }

    @Test
    void everyResponseCarriesTheSecurityHeaders() {
        for (String path : new String[] {"/", "/app.js", "/fal-js.html", "/fal-js.js", "/mode", "/generations/none"}) {
            page.get().uri(path).exchange()
                    .expectHeader().valueEquals("X-Frame-Options", "DENY")
                    .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                    .expectHeader().valueEquals("Referrer-Policy", "no-referrer")
                    .expectHeader().value("Content-Security-Policy", csp -> assertThat(csp)
                            .contains("frame-ancestors 'none'", "script-src 'self'", "img-src 'self'")
                            .doesNotContain("unsafe-inline"));
        }
    }

    @Test
    void aGetWithAPromptOnlyFillsThePageInAndNeverSubmits() {
        page.get().uri("/?prompt=spend+the+owner's+credits").exchange().expectStatus().isOk();
        page.get().uri("/app.js").exchange().expectStatus().isOk()
                .expectBody(String.class).value(js -> assertThat(js).doesNotContain("requestSubmit"));
        assertThat(emulator.requests(CallKind.SUBMIT)).isEmpty();
    }

    @Test
    void crossSiteWritesAreRefusedBeforeReachingFal() {
        WebTestClient bare = OneConnectionPerExchange.bare(port);
        bare.post().uri("/generations").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"prompt\": \"x\"}")
                .exchange().expectStatus().isForbidden()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        page.post().uri("/generations").header("Origin", "https://evil.example")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"prompt\": \"x\"}")
                .exchange().expectStatus().isForbidden();
        page.post().uri("/generations").header("Sec-Fetch-Site", "cross-site")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"prompt\": \"x\"}")
                .exchange().expectStatus().isForbidden();
        bare.delete().uri("/generations/some-id").exchange().expectStatus().isForbidden();
        bare.post().uri("/streams").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"prompt\": \"x\"}")
                .exchange().expectStatus().isForbidden();
        assertThat(emulator.requests(CallKind.SUBMIT)).isEmpty();
        assertThat(emulator.requests(CallKind.STREAM)).isEmpty();

        // the page itself: same origin, with its header
        page.post().uri("/generations").header("Origin", "http://127.0.0.1:" + port)
                .header("Sec-Fetch-Site", "same-origin")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"prompt\": \"mine\"}")
                .exchange().expectStatus().isAccepted();
    }

    @Test
    void theFalActuatorEndpointIsNotExposedByDefault() {
        page.get().uri("/actuator/fal").exchange().expectStatus().isNotFound();
        page.get().uri("/actuator/health").exchange().expectStatus().isOk();
    }

    @Test
    void theFirstResponseSetsAStrictHttpOnlySessionCookie() {
        OneConnectionPerExchange.bare(port).get().uri("/mode").exchange()
                .expectCookie().httpOnly(BrowserSession.COOKIE, true)
                .expectCookie().sameSite(BrowserSession.COOKIE, "Strict")
                .expectCookie().value(BrowserSession.COOKIE, v -> assertThat(v).hasSize(43));
    }

    @Test
    void onlyTheBrowserThatMadeAGenerationCanSeeOrCancelIt() {
        String id = page.post().uri("/generations").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"prompt\": \"private\"}").exchange()
                .expectStatus().isAccepted()
                .expectBody(JsonNode.class).returnResult().getResponseBody().path("requestId").asString();

        WebTestClient other = OneConnectionPerExchange.webTestClient(port);
        other.get().uri("/generations/{id}", id).exchange().expectStatus().isNotFound();
        other.get().uri("/generations/{id}/result", id).exchange().expectStatus().isNotFound();
        other.get().uri("/generations/{id}/events", id).accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isNotFound();
        other.delete().uri("/generations/{id}", id).exchange().expectStatus().isNotFound();
        assertThat(emulator.requests(CallKind.CANCEL)).isEmpty();

        page.get().uri("/generations/{id}", id).exchange().expectStatus().isOk();
        page.delete().uri("/generations/{id}", id).exchange().expectStatus().isAccepted();
        assertThat(emulator.requests(CallKind.CANCEL)).hasSize(1);
    }

    @Test
    void falErrorsReachCallersAsAGenericMessageWithAReference() {
        emulator.fault(CallKind.SUBMIT).times(5).httpStatus(500)
                .body("application/json", "{\"detail\": \"internal trace at http://10.0.0.7:8000/runner\"}");
        page.post().uri("/generations").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"prompt\": \"x\"}")
                .exchange()
                .expectStatus().isEqualTo(502)
                .expectBody(String.class).value(body -> assertThat(body)
                        .contains("\"reference\"", "could not complete the call")
                        .doesNotContain("10.0.0.7", "internal trace", "http://127.0.0.1:" + emulator.port(),
                                "/queue"));
    }
}
