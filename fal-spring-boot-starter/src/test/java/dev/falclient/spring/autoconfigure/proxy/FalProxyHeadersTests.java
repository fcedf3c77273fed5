package dev.falclient.spring.autoconfigure.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.falclient.spring.autoconfigure.proxy.ProxyFixtures.KEY;
import static dev.falclient.spring.autoconfigure.proxy.ProxyFixtures.PATH;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.falclient.spring.autoconfigure.FalAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.http.MediaType;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.test.web.servlet.result.MockMvcResultMatchers;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

/** Exactly which headers cross the proxy, both ways, seen on a WireMock fal. */
class FalProxyHeadersTests {

    @RegisterExtension
    static WireMockExtension fal = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final String[] properties = {"fal.key=" + KEY, "fal.queue-url=" + fal.baseUrl() + "/gateway",
            "fal.rest-url=" + fal.baseUrl() + "/rest", "fal.proxy.enabled=true",
            "fal.proxy.allowed-endpoints=fal-ai/flux/*"};

    private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FalAutoConfiguration.class, FalProxyAutoConfiguration.class))
            .withPropertyValues(properties);

    @Test
    void onlySafeHeadersGoToFalAndNoCookieOrKeyComesBack() {
        fal.stubFor(post(urlEqualTo("/gateway/fal-ai/flux/dev?fal_webhook=https%3A%2F%2Fapp.example%2Fhook"))
                .willReturn(aResponse().withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withHeader("X-Fal-Request-Id", "req-1")
                        .withHeader("Set-Cookie", "fal-session=upstream; Secure")
                        .withHeader("X-Debug-Auth", "Key " + KEY)
                        .withBody("{\"request_id\":\"req-1\"}")));
        runner.run(context -> {
            EntityExchangeResult<String> answer = FalProxyReactiveTests.client(context).post().uri(PATH)
                    .header("X-Fal-Target-Url",
                            "https://queue.fal.run/fal-ai/flux/dev?fal_webhook=https%3A%2F%2Fapp.example%2Fhook")
                    .header("Cookie", "SESSION=browser")
                    .header("Authorization", "Key browser-supplied-key")
                    .header("Proxy-Authorization", "Basic abc")
                    .header("X-Forwarded-For", "10.0.0.1")
                    .header("User-Agent", "browser")
                    .header("X-Fal-Request-Timeout", "30")
                    .accept(MediaType.APPLICATION_JSON)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"prompt\":\"a cat\"}")
                    .exchange().expectStatus().isOk()
                    .expectHeader().doesNotExist("Set-Cookie")
                    .expectHeader().doesNotExist("X-Debug-Auth")
                    .expectHeader().valueEquals("X-Fal-Request-Id", "req-1")
                    .expectBody(String.class).returnResult();
            assertThat(answer.getResponseBody()).isEqualTo("{\"request_id\":\"req-1\"}");
            answer.getResponseHeaders().forEach((name, values) -> assertThat(values)
                    .allSatisfy(value -> assertThat(value).doesNotContain(KEY)));
        });
        fal.verify(postRequestedFor(urlEqualTo("/gateway/fal-ai/flux/dev?fal_webhook=https%3A%2F%2Fapp.example%2Fhook"))
                .withHeader("Authorization", equalTo("Key " + KEY))
                .withHeader("Content-Type", equalTo("application/json"))
                .withHeader("Accept", equalTo("application/json"))
                .withHeader("X-Fal-Request-Timeout", equalTo("30"))
                .withHeader("X-Fal-Client-Proxy", equalTo("fal-spring-boot-starter"))
                .withHeader("Cookie", absent())
                .withHeader("Proxy-Authorization", absent())
                .withHeader("X-Forwarded-For", absent())
                .withHeader("X-Fal-Target-Url", absent())
                .withRequestBody(equalTo("{\"prompt\":\"a cat\"}")));
    }

    @Test
    void realtimeTokensAreIssuedOnlyForAllowedApps() {
        fal.stubFor(post(urlEqualTo("/rest/tokens/")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("\"short-lived-jwt\"")));
        String allowed = "{\"allowed_apps\":[\"flux\"],\"token_expiration\":120}";
        runner.run(context -> {
            WebTestClient client = FalProxyReactiveTests.client(context);
            client.post().uri(PATH).header("X-Fal-Target-Url", "https://rest.fal.ai/tokens/")
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(allowed)
                    .exchange().expectStatus().isCreated().expectBody(String.class).isEqualTo("\"short-lived-jwt\"");
            client.post().uri(PATH).header("X-Fal-Target-Url", "https://rest.fal.ai/tokens/")
                    .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"allowed_apps\":[\"other-app\"]}")
                    .exchange().expectStatus().isForbidden();
            client.post().uri(PATH).header("X-Fal-Target-Url", "https://rest.fal.ai/tokens/")
                    .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"token_expiration\":120}")
                    .exchange().expectStatus().isBadRequest();
        });
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(FalAutoConfiguration.class, FalProxyAutoConfiguration.class))
                .withPropertyValues(properties).run(context -> {
                    MockMvc mvc = MockMvcBuilders.routerFunctions(context.getBean("falProxyRoute",
                            org.springframework.web.servlet.function.RouterFunction.class)).build();
                    mvc.perform(MockMvcRequestBuilders.post(PATH).header("X-Fal-Target-Url", "https://rest.fal.ai/tokens/")
                                    .contentType(MediaType.APPLICATION_JSON).content(allowed))
                            .andExpect(MockMvcResultMatchers.status().isCreated());
                    mvc.perform(MockMvcRequestBuilders.post(PATH).header("X-Fal-Target-Url", "https://rest.fal.ai/tokens/")
                                    .contentType(MediaType.APPLICATION_JSON).content("{\"allowed_apps\":[\"x\"]}"))
                            .andExpect(MockMvcResultMatchers.status().isForbidden());
                });
        fal.verify(2, postRequestedFor(urlEqualTo("/rest/tokens/")).withRequestBody(equalTo(allowed))
                .withHeader("Authorization", equalTo("Key " + KEY)));
        assertThat(fal.findAll(postRequestedFor(urlEqualTo("/rest/tokens/")))).hasSize(2);
    }

    @Test
    void aRedirectFromFalIsPassedBackNotFollowed() {
        fal.stubFor(post(urlEqualTo("/gateway/fal-ai/flux/dev")).willReturn(aResponse().withStatus(307)
                .withHeader("Location", "http://169.254.169.254/latest/meta-data/")));
        runner.run(context -> FalProxyReactiveTests.client(context).post().uri(PATH)
                .header("X-Fal-Target-Url", "https://queue.fal.run/fal-ai/flux/dev")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                .exchange().expectStatus().isTemporaryRedirect());
        assertThat(fal.getAllServeEvents()).hasSize(1);
    }
}
