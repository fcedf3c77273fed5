package dev.falclient.spring.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.falclient.FalClient;
import dev.falclient.spring.EmulatorTestBase;
import dev.falclient.emulator.CallKind;
import dev.falclient.spring.autoconfigure.FalAutoConfiguration;
import java.util.Map;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;
import tools.jackson.databind.JsonNode;

/**
 * The starter in a Spring MVC (servlet) application: a {@code @RestController} injects the blocking
 * {@link FalClient} and calls fal (the emulator) on the request's servlet thread.
 */
class FalServletApplicationTests extends EmulatorTestBase {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CodecsAutoConfiguration.class,
                    ReactiveHttpClientAutoConfiguration.class, WebClientAutoConfiguration.class,
                    FalAutoConfiguration.class))
            .withUserConfiguration(MvcApp.class);

    @Test
    void restControllerCallsFalWithTheBlockingClient() {
        runner.withPropertyValues(emulatorProperties("mvc-test-key")).run(context -> {
                    MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();

                    mvc.perform(get("/images").param("prompt", "a servlet"))
                            .andExpect(status().isOk())
                            .andExpect(jsonPath("$.url", Matchers.startsWith(emulator.cdnUrl() + "/files/")))
                            .andExpect(jsonPath("$.thread", Matchers.not(Matchers.containsString("reactor-http"))));

                    assertThat(emulator.requests(CallKind.SUBMIT))
                            .filteredOn(r -> r.body().contains("a servlet")).singleElement()
                            .satisfies(r -> assertThat(r.header("Authorization")).isEqualTo("Key mvc-test-key"));
                });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableWebMvc
    @Import(ImageController.class)
    static class MvcApp {
    }

    @RestController
    static class ImageController {

        private final FalClient fal;

        ImageController(FalClient fal) {
            this.fal = fal;
        }

        @GetMapping("/images")
        Map<String, String> draw(@RequestParam String prompt) {
            JsonNode output = fal.subscribe("fal-ai/flux/schnell", Map.of("prompt", prompt));
            return Map.of("url", output.path("images").get(0).path("url").asString(),
                    "thread", Thread.currentThread().getName());
        }
    }
}
