package dev.falclient.spring.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.falclient.spring.EventCollector;
import dev.falclient.spring.autoconfigure.FalAutoConfiguration;
import dev.falclient.spring.autoconfigure.webhook.FalWebhookAutoConfiguration;
import dev.falclient.spring.event.FalRequestResultEvent;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.servlet.function.RouterFunction;

/** The Spring MVC endpoint of a servlet application: the same answers and events as the WebFlux one. */
class FalWebhookServletReceiverTests extends EmulatorKeyTestBase {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FalAutoConfiguration.class, FalWebhookAutoConfiguration.class))
            .withBean(EventCollector.class)
            .withPropertyValues(Deliveries.properties(emu));

    private static ResultActions deliver(AssertableWebApplicationContext context, Map<String, String> headers,
                                         byte[] body) throws Exception {
        MockMvc mvc = MockMvcBuilders.routerFunctions(context.getBean("falWebhookRoute", RouterFunction.class))
                .build();
        HttpHeaders http = new HttpHeaders();
        headers.forEach(http::set);
        MockHttpServletRequestBuilder request = post("/fal/webhook").headers(http).contentType("application/json")
                .content(body);
        return mvc.perform(request);
    }

    @Test
    void validDeliveryIsAnsweredAndPublished() {
        runner.run(context -> {
            assertThat(context).hasBean("falWebhookRoute");
            byte[] body = Deliveries.ok("s-ok");
            deliver(context, Deliveries.signed(emu, "s-ok", body), body).andExpect(status().isOk());
            deliver(context, Deliveries.signed(emu, "s-ok", body), body).andExpect(status().isOk())
                    .andExpect(content().string("duplicate"));

            EventCollector events = context.getBean(EventCollector.class);
            assertThat(events.names()).containsExactly("FalRequestCompletedEvent", "FalRequestResultEvent");
            assertThat(((FalRequestResultEvent) events.events.get(1)).getResult().path("images").size()).isOne();
        });
    }

    @Test
    void badSignatureIs401AndMalformedBodyIs400() {
        runner.run(context -> {
            byte[] body = Deliveries.ok("s-bad");
            deliver(context, Deliveries.signed(emu, "s-bad", body), Deliveries.ok("s-bad2"))
                    .andExpect(status().isUnauthorized()).andExpect(content().string("BAD_SIGNATURE"));
            byte[] notJson = "nope".getBytes(StandardCharsets.UTF_8);
            deliver(context, Deliveries.signed(emu, "s-bad", notJson), notJson)
                    .andExpect(status().isBadRequest());
            assertThat(context.getBean(EventCollector.class).events).isEmpty();
        });
    }

    @Test
    void oversizedBodyIs413() {
        runner.withPropertyValues("fal.webhook.max-body-size=100B").run(context -> {
            byte[] body = Deliveries.ok("s-big-" + "x".repeat(100));
            deliver(context, Deliveries.signed(emu, "s-big", body), body).andExpect(status().isPayloadTooLarge());
            assertThat(context.getBean(EventCollector.class).events).isEmpty();
        });
    }
}
