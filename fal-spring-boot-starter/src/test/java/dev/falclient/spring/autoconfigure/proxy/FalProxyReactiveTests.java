package dev.falclient.spring.autoconfigure.proxy;

import static dev.falclient.spring.autoconfigure.proxy.ProxyFixtures.KEY;
import static dev.falclient.spring.autoconfigure.proxy.ProxyFixtures.PATH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.falclient.emulator.CallKind;
import dev.falclient.emulator.RecordedRequest;
import dev.falclient.spring.autoconfigure.FalAutoConfiguration;
import dev.falclient.spring.proxy.FalProxyAccessPolicy;
import dev.falclient.spring.proxy.FalProxyRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The WebFlux proxy route against the emulator: allowed calls carry the key, everything else stops at the proxy. */
class FalProxyReactiveTests extends ProxyEmulatorTestBase {

    private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FalAutoConfiguration.class, FalProxyAutoConfiguration.class))
            .withPropertyValues(ProxyFixtures.properties(emu));

    static WebTestClient client(ApplicationContext context) {
        return WebTestClient.bindToRouterFunction(context.getBean("falProxyRoute", RouterFunction.class))
                .configureClient().responseTimeout(Duration.ofSeconds(30)).build();
    }

    static JsonNode json(byte[] body) {
        return JsonMapper.shared().readTree(body);
    }

    @Test
    void submitStatusAndResultReachFalWithTheKeyAndOnlySafeHeaders() {
        runner.run(context -> {
            WebTestClient client = client(context);
            byte[] submitted = client.post().uri(PATH)
                    .header("X-Fal-Target-Url", "https://queue.fal.run/fal-ai/flux/dev")
                    .header("Cookie", "SESSION=browser-session")
                    .header("Authorization", "Bearer browser-token")
                    .header("X-Fal-Queue-Priority", "low")
                    .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"prompt\":\"a cat\"}")
                    .exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody();
            String requestId = json(submitted).path("request_id").asString();
            assertThat(requestId).isNotBlank();

            RecordedRequest submit = emu.requests(CallKind.SUBMIT).get(0);
            assertThat(submit.endpointId()).isEqualTo("fal-ai/flux/dev");
            assertThat(submit.body()).isEqualTo("{\"prompt\":\"a cat\"}");
            assertThat(submit.header("Authorization")).isEqualTo("Key " + KEY);
            assertThat(submit.header("Cookie")).isNull();
            assertThat(submit.header("X-Fal-Target-Url")).isNull();
            assertThat(submit.header("X-Fal-Queue-Priority")).isEqualTo("low");
            assertThat(submit.header("X-Fal-Client-Proxy")).isEqualTo("fal-spring-boot-starter");

            String requestUrl = "https://queue.fal.run/fal-ai/flux/requests/" + requestId;
            await().atMost(Duration.ofSeconds(20)).until(() -> json(client.get().uri(PATH)
                    .header("X-Fal-Target-Url", requestUrl + "/status?logs=1").exchange()
                    .expectStatus().is2xxSuccessful().expectBody().returnResult().getResponseBody())
                    .path("status").asString().equals("COMPLETED"));
            byte[] result = client.get().uri(PATH).header("X-Fal-Target-Url", requestUrl).exchange()
                    .expectStatus().isOk().expectBody().returnResult().getResponseBody();
            assertThat(json(result).path("images").size()).isPositive();
            assertThat(new String(result)).doesNotContain(KEY);
            assertThat(emu.requests(CallKind.STATUS).get(0).queryParam("logs")).isEqualTo("1");
            assertThat(emu.requests()).allSatisfy(r -> assertThat(r.header("Authorization"))
                    .isEqualTo("Key " + KEY));
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "https://fal.run.evil.com/fal-ai/flux/dev", "https://evilfal.run/fal-ai/flux/dev",
            "https://queue.fal.run.evil.com/fal-ai/flux/dev", "https://fal.run./fal-ai/flux/dev",
            "https://xfal.run/fal-ai/flux/dev", "https://evil.com/fal.run/fal-ai/flux/dev",
            "http://queue.fal.run/fal-ai/flux/dev", "ftp://fal.run/fal-ai/flux/dev",
            "https://queue.fal.run:8443/fal-ai/flux/dev", "https://queue.fal.run:80/fal-ai/flux/dev",
            "https://user:pass@queue.fal.run/fal-ai/flux/dev", "https://queue.fal.run@evil.com/fal-ai/flux/dev",
            "https://127.0.0.1/fal-ai/flux/dev", "https://169.254.169.254/latest/meta-data/",
            "https://localhost/fal-ai/flux/dev", "https://[::1]/fal-ai/flux/dev", "https://10.0.0.1/fal-ai/flux/dev",
            "https://2130706433/fal-ai/flux/dev", "https://storage.googleapis.com/fal-ai/flux/dev",
            "/fal-ai/flux/dev", "queue.fal.run/fal-ai/flux/dev", "https://queue.fal.run/fal-ai/flux/../../admin",
            "https://queue.fal.run/fal-ai/flux/%2e%2e/x", "https://queue.fal.run/fal-ai/flux%2fdev",
            "https://queue.fal.run//fal-ai/flux/dev", "not a url at all"})
    void targetsOutsideFalsHostsAreRejectedWith400(String target) {
        runner.run(context -> client(context).post().uri(PATH).header("X-Fal-Target-Url", target)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                .exchange().expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail)
                        .contains("X-Fal-Target-Url")));
        assertThat(emu.requests()).isEmpty();
    }

    @Test
    void theEmulatorItselfIsNoTarget() {
        runner.run(context -> client(context).post().uri(PATH)
                .header("X-Fal-Target-Url", emu.queueUrl() + "/fal-ai/flux/dev")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                .exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.error")
                .isEqualTo("target_not_allowed"));
        assertThat(emu.requests()).isEmpty();
    }

    @Test
    void aMissingTargetIs400() {
        runner.run(context -> client(context).get().uri(PATH).exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.error").isEqualTo("missing_target"));
    }

    @Test
    void endpointsOutsideTheAllowListAre403() {
        runner.run(context -> {
            for (String target : List.of("https://queue.fal.run/fal-ai/other-model",
                    "https://fal.run/fal-ai/other-model", "https://queue.fal.run/fal-ai/flux",
                    "https://queue.fal.run/fal-ai/other-model/requests/abc/status",
                    "https://rest.fal.ai/admin", "https://v3.fal.media/admin")) {
                client(context).post().uri(PATH).header("X-Fal-Target-Url", target)
                        .contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                        .exchange().expectStatus().isForbidden().expectBody().jsonPath("$.detail").exists();
            }
        });
        assertThat(emu.requests()).isEmpty();
    }

    @Test
    void anEmptyAllowListLetsNothingThrough() {
        runner.withPropertyValues("fal.proxy.allowed-endpoints=").run(context -> client(context).post().uri(PATH)
                .header("X-Fal-Target-Url", "https://queue.fal.run/fal-ai/flux/dev")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                .exchange().expectStatus().isForbidden().expectBody().jsonPath("$.detail").value(detail ->
                        assertThat((String) detail).contains("fal.proxy.allowed-endpoints")));
        assertThat(emu.requests()).isEmpty();
    }

    @Test
    void theAccessPolicyDecidesPerRequest() {
        AtomicReference<FalProxyRequest> seen = new AtomicReference<>();
        FalProxyAccessPolicy policy = request -> {
            seen.set(request);
            return "signed-in".equals(request.headers().getFirst("X-Session"));
        };
        runner.withBean(FalProxyAccessPolicy.class, () -> policy).run(context -> {
            WebTestClient client = client(context);
            client.post().uri(PATH).header("X-Fal-Target-Url", "https://queue.fal.run/fal-ai/flux/dev?x=1")
                    .contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                    .exchange().expectStatus().isForbidden().expectBody().jsonPath("$.error").isEqualTo("forbidden");
            assertThat(emu.requests()).isEmpty();
            assertThat(seen.get().method()).isEqualTo("POST");
            assertThat(seen.get().endpointId()).isEqualTo("fal-ai/flux/dev");
            assertThat(seen.get().targetUrl()).hasToString("https://queue.fal.run/fal-ai/flux/dev?x=1");

            client.post().uri(PATH).header("X-Fal-Target-Url", "https://queue.fal.run/fal-ai/flux/dev")
                    .header("X-Session", "signed-in")
                    .contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                    .exchange().expectStatus().isOk();
            assertThat(emu.requests(CallKind.SUBMIT)).hasSize(1);
            assertThat(emu.requests(CallKind.SUBMIT).get(0).header("X-Session")).isNull();
        });
    }

    @Test
    void methodsOtherThanGetPostPutAreNotRouted() {
        runner.run(context -> client(context).delete().uri(PATH)
                .header("X-Fal-Target-Url", "https://queue.fal.run/fal-ai/flux/dev").exchange()
                .expectStatus().isNotFound());
        assertThat(emu.requests()).isEmpty();
    }

    @Test
    void aBodyOverTheLimitIs413WithOrWithoutALength() {
        byte[] big = ("{\"prompt\":\"" + "x".repeat(3000) + "\"}").getBytes(StandardCharsets.UTF_8);
        runner.withPropertyValues("fal.max-in-memory-size=1KB").run(context -> {
            client(context).post().uri(PATH).header("X-Fal-Target-Url", "https://queue.fal.run/fal-ai/flux/dev")
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(big)
                    .exchange().expectStatus().isEqualTo(413);
            Flux<DataBuffer> chunked = Flux.range(0, 3).map(i -> DefaultDataBufferFactory.sharedInstance
                    .wrap(Arrays.copyOfRange(big, i * 1000, (i + 1) * 1000)));
            client(context).post().uri(PATH).header("X-Fal-Target-Url", "https://queue.fal.run/fal-ai/flux/dev")
                    .contentType(MediaType.APPLICATION_JSON).body(chunked, DataBuffer.class)
                    .exchange().expectStatus().isEqualTo(413);
        });
        assertThat(emu.requests(CallKind.SUBMIT)).allSatisfy(r -> assertThat(r.body().length()).isLessThan(3000));
    }

    @Test
    void anUnreachableFalIs502WithoutDetailsOfTheUpstream() {
        runner.withPropertyValues("fal.queue-url=http://127.0.0.1:1", "fal.connect-timeout=2s")
                .run(context -> client(context).post().uri(PATH)
                        .header("X-Fal-Target-Url", "https://queue.fal.run/fal-ai/flux/dev")
                        .contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                        .exchange().expectStatus().isEqualTo(502)
                        .expectBody().jsonPath("$.error").isEqualTo("fal_unreachable"));
    }
}
