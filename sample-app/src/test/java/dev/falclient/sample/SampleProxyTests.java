package dev.falclient.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.falclient.emulator.CallKind;
import dev.falclient.emulator.FalEmulator;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The starter's fal proxy as the sample serves it ({@code /api/fal/proxy}, for {@code /fal-js.html}): the page's
 * calls on the sample's endpoint reach fal with the app's key; a caller without the page's header or session, a
 * cross-site one, another endpoint and calls the page never makes are refused before fal sees anything.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sample.fal.mode=emulator",
        "sample.demo.enabled=false",
        "sample.emulator.processing-time=1h",
        "sample.emulator.workers=1"})
class SampleProxyTests {

    private static final String PROXY = "/api/fal/proxy";
    private static final String TARGET = "X-Fal-Target-Url";
    private static final String SUBMIT = "https://queue.fal.run/fal-ai/fast-sdxl";

    @LocalServerPort
    int port;

    @Autowired
    FalEmulator emulator;

    WebTestClient page;

    @BeforeEach
    void client() {
        page = OneConnectionPerExchange.webTestClient(port);
        emulator.clearRequests();
    }

    @AfterEach
    void resetEmulator() {
        emulator.reset();
        emulator.endpoint("fal-ai/fast-sdxl").workers(1).processingTime(Duration.ofHours(1));
    }

    @Test
    void thePagesCallsReachFalWithTheAppsKey() {
        page.post().uri(PROXY).header(TARGET, SUBMIT).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"prompt\": \"a fox\"}")
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.request_id").isNotEmpty();
        String requestId = emulator.requests(CallKind.SUBMIT).get(0).requestId();
        page.get().uri(PROXY).header(TARGET, SUBMIT + "/requests/" + requestId + "/status")
                .exchange().expectStatus().is2xxSuccessful()
                .expectBody().jsonPath("$.status").isNotEmpty();
        assertThat(emulator.requests()).hasSize(2).allSatisfy(call -> {
            assertThat(call.header("Authorization")).isEqualTo("Key " + EmulatorConfiguration.EMULATOR_KEY);
            assertThat(call.header("X-Fal-Client-Proxy")).isEqualTo("fal-spring-boot-starter");
            assertThat(call.header("Cookie")).isNull();
            assertThat(call.header(RequestGuard.CSRF_HEADER)).isNull();
        });
    }

    @Test
    void aCallerWithoutThePagesHeaderOrSessionIsRefused() {
        // no page header: RequestGuard's cross-site rule, on GETs of the proxy too
        OneConnectionPerExchange.bare(port).post().uri(PROXY).header(TARGET, SUBMIT)
                .cookie(BrowserSession.COOKIE, BrowserSession.newId())
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"prompt\": \"x\"}")
                .exchange().expectStatus().isForbidden();
        OneConnectionPerExchange.bare(port).get().uri(PROXY).header(TARGET, SUBMIT + "/requests/r1/status")
                .cookie(BrowserSession.COOKIE, BrowserSession.newId())
                .exchange().expectStatus().isForbidden();
        // the page header but no browser session: SampleProxyPolicy
        OneConnectionPerExchange.bare(port).post().uri(PROXY).header(TARGET, SUBMIT)
                .header(RequestGuard.CSRF_HEADER, "fal-sample")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"prompt\": \"x\"}")
                .exchange().expectStatus().isForbidden()
                .expectBody().jsonPath("$.error").isEqualTo("forbidden");
        // another web site, even with the header
        page.post().uri(PROXY).header(TARGET, SUBMIT).header("Sec-Fetch-Site", "cross-site")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"prompt\": \"x\"}")
                .exchange().expectStatus().isForbidden();
        page.get().uri(PROXY).header(TARGET, SUBMIT + "/requests/r1/status").header("Origin", "https://evil.example")
                .exchange().expectStatus().isForbidden();
        assertThat(emulator.requests()).isEmpty();
    }

    @Test
    void onlyTheSamplesEndpointAndThePagesCallsPass() {
        // an endpoint outside fal.proxy.allowed-endpoints (the sample allows only sample.endpoint-id)
        page.post().uri(PROXY).header(TARGET, "https://queue.fal.run/fal-ai/flux/dev")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"prompt\": \"x\"}")
                .exchange().expectStatus().isForbidden()
                .expectBody().jsonPath("$.error").isEqualTo("endpoint_not_allowed");
        // the sample's endpoint, but run directly, an upload or a token: not what the page does
        page.post().uri(PROXY).header(TARGET, "https://fal.run/fal-ai/fast-sdxl")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"prompt\": \"x\"}")
                .exchange().expectStatus().isForbidden();
        page.post().uri(PROXY).header(TARGET, "https://rest.fal.ai/storage/upload/initiate")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"file_name\": \"a.png\"}")
                .exchange().expectStatus().isForbidden();
        page.post().uri(PROXY).header(TARGET, "https://rest.fal.ai/tokens/")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"allowed_apps\": [\"fast-sdxl\"]}")
                .exchange().expectStatus().isForbidden();
        // any other host: no open relay
        page.get().uri(PROXY).header(TARGET, "http://127.0.0.1:" + emulator.port() + "/fal-ai/fast-sdxl")
                .exchange().expectStatus().isBadRequest();
        assertThat(emulator.requests()).isEmpty();
    }
}
