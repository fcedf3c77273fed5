package dev.falclient.test.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.falclient.FalClient;
import dev.falclient.SubmitOptions;
import dev.falclient.test.AutoConfigureFalEmulator;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** With one annotation, the application's own receiver accepts the emulator's signed deliveries end to end. */
@SpringBootTest(classes = WebhookApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        // reactive: this module's tests also have Spring MVC on the class path (for the @WebMvcTest slice)
        properties = { "fal.webhook.enabled=true", "spring.main.web-application-type=reactive" })
@AutoConfigureFalEmulator(deliverWebhooks = true, processingTime = "50ms")
class OneAnnotationTests {

    @Autowired
    FalClient fal;

    @Autowired
    Collector collector;

    @LocalServerPort
    int port;

    @Test
    void completionArrivesThroughTheVerifiedReceiver() {
        String requestId = fal.submit("fal-ai/flux/dev", Map.of("prompt", "owl"), SubmitOptions.builder()
                .webhookUrl("http://127.0.0.1:" + port + "/fal/webhook").build()).requestId();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(collector.namesFor(requestId))
                .containsExactly("FalRequestSubmittedEvent", "FalRequestCompletedEvent", "FalRequestResultEvent"));
    }
}
