package dev.falclient.test.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.falclient.FalClient;
import dev.falclient.emulator.FalEmulator;
import dev.falclient.spring.event.FalRequestResultEvent;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two instances of one application share one fal (the emulator): the instance that submits names the other's
 * receiver as webhook URL (as a load balancer would route it), and the completion arrives there, as events, once.
 */
class TwoInstancesTests {

    private final FalEmulator emu = FalEmulator.builder().deliverWebhooks(true)
            .processingTime(Duration.ofMillis(50)).start();
    private ConfigurableApplicationContext submitter;
    private ConfigurableApplicationContext receiver;

    private ConfigurableApplicationContext start(String... extra) {
        return new SpringApplicationBuilder(WebhookApp.class).web(WebApplicationType.REACTIVE)
                .properties("server.port=0", "server.address=127.0.0.1", "fal.key=two-instances-key",
                        "fal.queue-url=" + emu.queueUrl(), "fal.webhook.enabled=true",
                        "fal.webhook.jwks-url=" + emu.jwksUrl())
                .properties(extra)
                .run();
    }

    @AfterEach
    void stop() {
        if (submitter != null) {
            submitter.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        emu.close();
    }

    @Test
    void instanceThatDidNotSubmitReceivesTheCompletion() {
        receiver = start();
        String port = receiver.getEnvironment().getProperty("local.server.port");
        submitter = start("fal.webhook.url=http://127.0.0.1:" + port + "/fal/webhook");

        String requestId = submitter.getBean(FalClient.class).submit("fal-ai/flux/dev", Map.of("prompt", "cat"))
                .requestId();

        Collector received = receiver.getBean(Collector.class);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(received.namesFor(requestId))
                .containsExactly("FalRequestCompletedEvent", "FalRequestResultEvent"));
        FalRequestResultEvent result = (FalRequestResultEvent) received.events.get(1);
        assertThat(result.getResult().path("prompt").asString()).isEqualTo("cat");
        assertThat(submitter.getBean(Collector.class).namesFor(requestId)).containsExactly("FalRequestSubmittedEvent");
        assertThat(emu.webhookSender().attempts()).singleElement().satisfies(a -> {
            assertThat(a.requestId()).isEqualTo(requestId);
            assertThat(a.status()).isEqualTo(200);
        });
    }

    @Test
    void duplicateDeliveriesReachTheReceiverAndArePublishedOnce() {
        receiver = start();
        String port = receiver.getEnvironment().getProperty("local.server.port");
        emu.webhookSender().fault().copies(3);

        String requestId = receiver.getBean(FalClient.class).submit("fal-ai/flux/dev", Map.of("prompt", "dog"),
                dev.falclient.SubmitOptions.builder().webhookUrl("http://127.0.0.1:" + port + "/fal/webhook")
                        .build()).requestId();

        await().atMost(Duration.ofSeconds(20)).until(() -> emu.webhookSender().attempts().size() == 3);
        assertThat(emu.webhookSender().attempts()).allSatisfy(a -> assertThat(a.status()).isEqualTo(200));
        assertThat(receiver.getBean(Collector.class).namesFor(requestId)).containsExactly(
                "FalRequestSubmittedEvent", "FalRequestCompletedEvent", "FalRequestResultEvent");
    }
}
