package dev.falclient.spring.autoconfigure.proxy;

import static dev.falclient.spring.autoconfigure.proxy.ProxyFixtures.KEY;
import static dev.falclient.spring.autoconfigure.proxy.ProxyFixtures.PATH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.falclient.emulator.CallKind;
import dev.falclient.emulator.RecordedRequest;
import dev.falclient.spring.autoconfigure.FalAutoConfiguration;
import dev.falclient.spring.proxy.FalProxyAccessPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.servlet.function.RouterFunction;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The Spring MVC proxy route of a servlet application: the same gate and the same passthrough as the WebFlux one. */
class FalProxyServletTests extends ProxyEmulatorTestBase {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FalAutoConfiguration.class, FalProxyAutoConfiguration.class))
            .withPropertyValues(ProxyFixtures.properties(emu));

    private static MockMvc mvc(AssertableWebApplicationContext context) {
        return MockMvcBuilders.routerFunctions(context.getBean("falProxyRoute", RouterFunction.class)).build();
    }

    private static JsonNode json(MvcResult result) throws Exception {
        return JsonMapper.shared().readTree(result.getResponse().getContentAsString());
    }

    @Test
    void submitStatusAndResultReachFalWithTheKeyAndNoCookie() {
        runner.run(context -> {
            MockMvc mvc = mvc(context);
            MvcResult submitted = mvc.perform(post(PATH)
                            .header("X-Fal-Target-Url", "https://queue.fal.run/fal-ai/flux/dev")
                            .header("Cookie", "SESSION=browser-session")
                            .header("Authorization", "Bearer browser-token")
                            .contentType(MediaType.APPLICATION_JSON).content("{\"prompt\":\"a cat\"}"))
                    .andExpect(status().isOk()).andExpect(header().doesNotExist("Set-Cookie")).andReturn();
            String requestId = json(submitted).path("request_id").asString();
            assertThat(submitted.getResponse().getContentAsString()).doesNotContain(KEY);

            RecordedRequest submit = emu.requests(CallKind.SUBMIT).get(0);
            assertThat(submit.body()).isEqualTo("{\"prompt\":\"a cat\"}");
            assertThat(submit.header("Authorization")).isEqualTo("Key " + KEY);
            assertThat(submit.header("Cookie")).isNull();
            assertThat(submit.header("X-Fal-Target-Url")).isNull();

            String requestUrl = "https://queue.fal.run/fal-ai/flux/requests/" + requestId;
            await().atMost(Duration.ofSeconds(20)).until(() -> json(mvc.perform(get(PATH)
                    .header("X-Fal-Target-Url", requestUrl + "/status")).andExpect(status().is2xxSuccessful()).andReturn())
                    .path("status").asString().equals("COMPLETED"));
            MvcResult result = mvc.perform(get(PATH).header("X-Fal-Target-Url", requestUrl))
                    .andExpect(status().isOk()).andReturn();
            assertThat(json(result).path("images").size()).isPositive();
            assertThat(result.getResponse().getHeaderNames()).allSatisfy(name -> assertThat(
                    result.getResponse().getHeaders(name)).allSatisfy(value -> assertThat(value).doesNotContain(KEY)));
        });
    }

    @Test
    void aStatusStreamPassesThroughAsServerSentEvents() {
        runner.run(context -> {
            MockMvc mvc = mvc(context);
            String requestId = json(mvc.perform(post(PATH)
                            .header("X-Fal-Target-Url", "https://queue.fal.run/fal-ai/flux/dev")
                            .contentType(MediaType.APPLICATION_JSON).content("{}"))
                    .andExpect(status().isOk()).andReturn()).path("request_id").asString();
            MvcResult stream = mvc.perform(get(PATH).accept(MediaType.TEXT_EVENT_STREAM).header("X-Fal-Target-Url",
                            "https://queue.fal.run/fal-ai/flux/requests/" + requestId + "/status/stream"))
                    .andExpect(status().isOk()).andReturn();
            assertThat(stream.getResponse().getContentType()).startsWith("text/event-stream");
            assertThat(stream.getResponse().getContentAsString()).contains("data:").contains("\"COMPLETED\"");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://fal.run.evil.com/fal-ai/flux/dev", "https://evilfal.run/fal-ai/flux/dev",
            "http://queue.fal.run/fal-ai/flux/dev", "https://queue.fal.run:8443/fal-ai/flux/dev",
            "https://user@queue.fal.run/fal-ai/flux/dev", "https://127.0.0.1/fal-ai/flux/dev",
            "https://169.254.169.254/latest/meta-data/", "https://localhost/fal-ai/flux/dev"})
    void targetsOutsideFalsHostsAreRejectedWith400(String target) {
        runner.run(context -> mvc(context).perform(post(PATH).header("X-Fal-Target-Url", target)
                        .contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.error").value("target_not_allowed")));
        assertThat(emu.requests()).isEmpty();
    }

    @Test
    void missingTargetIs400AndEndpointsOutsideTheAllowListAre403() {
        runner.run(context -> {
            mvc(context).perform(post(PATH).contentType(MediaType.APPLICATION_JSON).content("{}"))
                    .andExpect(status().isBadRequest()).andExpect(jsonPath("$.error").value("missing_target"));
            mvc(context).perform(post(PATH).header("X-Fal-Target-Url", "https://fal.run/fal-ai/other")
                            .contentType(MediaType.APPLICATION_JSON).content("{}"))
                    .andExpect(status().isForbidden()).andExpect(jsonPath("$.error").value("endpoint_not_allowed"));
        });
        assertThat(emu.requests()).isEmpty();
    }

    @Test
    void aDenyingAccessPolicyIs403() {
        runner.withBean(FalProxyAccessPolicy.class, () -> request -> false).run(context -> mvc(context)
                .perform(post(PATH).header("X-Fal-Target-Url", "https://queue.fal.run/fal-ai/flux/dev")
                        .contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isForbidden()).andExpect(jsonPath("$.error").value("forbidden")));
        assertThat(emu.requests()).isEmpty();
    }

    @Test
    void aBodyOverTheLimitIs413() {
        runner.withPropertyValues("fal.max-in-memory-size=1KB").run(context -> mvc(context)
                .perform(post(PATH).header("X-Fal-Target-Url", "https://queue.fal.run/fal-ai/flux/dev")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"prompt\":\"" + "x".repeat(2000) + "\"}"))
                .andExpect(status().isPayloadTooLarge()));
        assertThat(emu.requests()).isEmpty();
    }
}
