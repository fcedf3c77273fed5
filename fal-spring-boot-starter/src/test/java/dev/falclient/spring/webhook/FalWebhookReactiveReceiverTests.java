package dev.falclient.spring.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.falclient.spring.EventCollector;
import dev.falclient.spring.autoconfigure.FalAutoConfiguration;
import dev.falclient.spring.autoconfigure.metrics.FalMetricsAutoConfiguration;
import dev.falclient.spring.autoconfigure.webhook.FalWebhookAutoConfiguration;
import dev.falclient.spring.event.FalEventPublisher;
import dev.falclient.spring.event.FalRequestCompletedEvent;
import dev.falclient.spring.event.FalRequestFailedEvent;
import dev.falclient.spring.event.FalRequestResultEvent;
import dev.falclient.spring.metrics.FalWebhookMetrics;
import dev.falclient.webhook.FalWebhookErrorException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableReactiveWebApplicationContext;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RouterFunction;

/** The WebFlux endpoint: verified deliveries become events once; every refusal answers its status and publishes nothing. */
class FalWebhookReactiveReceiverTests extends EmulatorKeyTestBase {

    private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FalAutoConfiguration.class, FalWebhookAutoConfiguration.class,
                    FalMetricsAutoConfiguration.class))
            .withBean(EventCollector.class)
            .withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new)
            .withPropertyValues(Deliveries.properties(emu));

    private void run(Consumer<AssertableReactiveWebApplicationContext> test, String... properties) {
        runner.withPropertyValues(properties).run(test::accept);
    }

    @SuppressWarnings("unchecked")
    private static WebTestClient client(AssertableReactiveWebApplicationContext context) {
        return WebTestClient.bindToRouterFunction(context.getBean("falWebhookRoute", RouterFunction.class))
                .configureClient().responseTimeout(Duration.ofSeconds(20)).build();
    }

    private static WebTestClient.ResponseSpec post(AssertableReactiveWebApplicationContext context,
                                                   Map<String, String> headers, byte[] body) {
        return client(context).post().uri("/fal/webhook").headers(h -> headers.forEach(h::set))
                .header("Content-Type", "application/json").bodyValue(body).exchange();
    }

    private static double count(AssertableReactiveWebApplicationContext context, String name, String... tags) {
        var counter = context.getBean(MeterRegistry.class).find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void validOkDeliveryPublishesCompletionAndResult() {
        run(context -> {
            byte[] body = Deliveries.ok("r-ok");
            post(context, Deliveries.signed(emu, "r-ok", body), body).expectStatus().isOk();

            EventCollector events = context.getBean(EventCollector.class);
            assertThat(events.names()).containsExactly("FalRequestCompletedEvent", "FalRequestResultEvent");
            FalRequestResultEvent result = (FalRequestResultEvent) events.events.get(1);
            assertThat(result.getRequestId()).isEqualTo("r-ok");
            assertThat(result.getEndpointId()).isEqualTo(FalEventPublisher.UNKNOWN_ENDPOINT);
            assertThat(result.getResult().path("images").get(0).path("url").asString())
                    .isEqualTo("https://v3.fal.media/files/x.png");
            assertThat(((FalRequestCompletedEvent) events.events.get(0)).isFailed()).isFalse();
            assertThat(count(context, FalWebhookMetrics.RECEIVED, "status", "ok")).isEqualTo(1);
        });
    }

    @Test
    void validErrorDeliveryPublishesCompletionAndATypedFailure() {
        run(context -> {
            byte[] body = Deliveries.error("r-err");
            post(context, Deliveries.signed(emu, "r-err", body), body).expectStatus().isOk();

            EventCollector events = context.getBean(EventCollector.class);
            assertThat(events.names()).containsExactly("FalRequestCompletedEvent", "FalRequestFailedEvent");
            assertThat(((FalRequestCompletedEvent) events.events.get(0)).isFailed()).isTrue();
            FalRequestFailedEvent failed = (FalRequestFailedEvent) events.events.get(1);
            assertThat(failed.getError()).isInstanceOfSatisfying(FalWebhookErrorException.class, e -> {
                assertThat(e.statusCode()).hasValue(422);
                assertThat(e.payload().path("detail").get(0).path("msg").asString()).isEqualTo("field required");
            });
        });
    }

    @Test
    void duplicatesAreAnsweredAndPublishedOnce() {
        run(context -> {
            byte[] body = Deliveries.ok("r-dup");
            for (int i = 0; i < 3; i++) {
                post(context, Deliveries.signed(emu, "r-dup", body), body).expectStatus().isOk();
            }
            assertThat(context.getBean(EventCollector.class).names())
                    .containsExactly("FalRequestCompletedEvent", "FalRequestResultEvent");
            assertThat(count(context, FalWebhookMetrics.DUPLICATES)).isEqualTo(2);
        });
    }

    @Test
    void missingBadOrStaleSignaturesAre401AndPublishNothing() {
        run(context -> {
            byte[] body = Deliveries.ok("r-bad");
            Map<String, String> missing = new LinkedHashMap<>(Deliveries.signed(emu, "r-bad", body));
            missing.remove("X-Fal-Webhook-Signature");
            post(context, missing, body).expectStatus().isUnauthorized().expectBody(String.class)
                    .isEqualTo("MISSING_HEADER");

            byte[] changed = Deliveries.ok("r-bad");
            changed[changed.length - 5] = 'X';
            post(context, Deliveries.signed(emu, "r-bad", body), changed).expectStatus().isUnauthorized()
                    .expectBody(String.class).isEqualTo("BAD_SIGNATURE");

            post(context, Deliveries.signedAgo(emu, "r-bad", body, Duration.ofMinutes(6)), body)
                    .expectStatus().isUnauthorized().expectBody(String.class).isEqualTo("STALE_TIMESTAMP");

            assertThat(context.getBean(EventCollector.class).events).isEmpty();
            assertThat(count(context, FalWebhookMetrics.REJECTED, "reason", "missing_header")).isEqualTo(1);
            assertThat(count(context, FalWebhookMetrics.REJECTED, "reason", "bad_signature")).isEqualTo(1);
            assertThat(count(context, FalWebhookMetrics.REJECTED, "reason", "stale_timestamp")).isEqualTo(1);
        });
    }

    @Test
    void signedBodyThatIsNoJsonIs400() {
        run(context -> {
            byte[] body = "{\"request_id\": oops".getBytes(StandardCharsets.UTF_8);
            post(context, Deliveries.signed(emu, "r-json", body), body).expectStatus().isBadRequest()
                    .expectBody(String.class).isEqualTo("MALFORMED_BODY");
            assertThat(context.getBean(EventCollector.class).events).isEmpty();
        });
    }

    @Test
    void oversizedBodyIs413BeforeAnyVerification() {
        run(context -> {
            byte[] body = ("{\"request_id\":\"r-big\",\"status\":\"OK\",\"payload\":{\"pad\":\""
                    + "x".repeat(2048) + "\"}}").getBytes(StandardCharsets.UTF_8);
            post(context, Deliveries.signed(emu, "r-big", body), body).expectStatus().isEqualTo(413);
            assertThat(context.getBean(EventCollector.class).events).isEmpty();
            assertThat(count(context, FalWebhookMetrics.REJECTED, "reason", "body_too_large")).isEqualTo(1);
        }, "fal.webhook.max-body-size=1KB");
    }

    @Test
    void receiverServesTheConfiguredPath() {
        run(context -> {
            byte[] body = Deliveries.ok("r-path");
            client(context).post().uri("/hooks/fal").headers(h -> Deliveries.signed(emu, "r-path", body)
                    .forEach(h::set)).bodyValue(body).exchange().expectStatus().isOk();
            client(context).post().uri("/fal/webhook").bodyValue(body).exchange().expectStatus().isNotFound();
        }, "fal.webhook.path=/hooks/fal");
    }
}
