package dev.falclient.spring.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.falclient.FalClient;
import dev.falclient.spring.EmulatorTestBase;
import dev.falclient.spring.autoconfigure.FalAutoConfiguration;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import tools.jackson.databind.JsonNode;

/**
 * What the README says about a throwing listener: Spring's multicaster has no error handler by default, so an
 * {@code @EventListener} that throws stops the delivery of that event to the listeners ordered after it; the fal
 * call itself is not affected, the failure is logged, and the following events still reach everyone.
 */
@ExtendWith(OutputCaptureExtension.class)
class FalListenerFailureTests extends EmulatorTestBase {

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(FalAutoConfiguration.class))
                .withPropertyValues(emulatorProperties("listener-test-key"));
    }

    @Test
    void aThrowingListenerStopsThatEventForLaterListenersOnly(CapturedOutput output) {
        runner().withBean(ThrowingOnResult.class).withBean(Later.class).run(context -> {
            JsonNode result = context.getBean(FalClient.class).subscribe("fal-ai/fast-sdxl", Map.of("prompt", "x"));

            assertThat(result.path("images").get(0).path("url").asString()).startsWith(emulator.cdnUrl());
            ThrowingOnResult throwing = context.getBean(ThrowingOnResult.class);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(throwing.results).hasSize(1);
                assertThat(output.getAll()).contains("fal request listener").contains("listener bug");
            });
            Later later = context.getBean(Later.class);
            // the events before the result reached the later listener; the result event did not
            assertThat(later.names).contains("FalRequestSubmittedEvent", "FalRequestCompletedEvent")
                    .doesNotContain("FalRequestResultEvent");
        });
    }

    @Test
    void withoutTheFailureTheLaterListenerGetsTheResult() {
        runner().withBean(Quiet.class).withBean(Later.class).run(context -> {
            context.getBean(FalClient.class).subscribe("fal-ai/fast-sdxl", Map.of("prompt", "x"));
            Later later = context.getBean(Later.class);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(later.names)
                    .contains("FalRequestResultEvent"));
        });
    }

    static class ThrowingOnResult {

        final List<String> results = new CopyOnWriteArrayList<>();

        @EventListener
        @Order(1)
        void on(FalRequestResultEvent event) {
            results.add(event.getRequestId());
            throw new IllegalStateException("listener bug");
        }
    }

    static class Quiet {

        @EventListener
        @Order(1)
        void on(FalRequestResultEvent event) {
        }
    }

    static class Later {

        final List<String> names = new CopyOnWriteArrayList<>();

        @EventListener
        @Order(2)
        void on(FalRequestEvent event) {
            names.add(event.getClass().getSimpleName());
        }
    }
}
