package dev.falclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.falclient.emulator.FalEmulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The documented listener sequences: a cancelled request reports the accepted cancel, then exactly one terminal
 * callback; a failed request reports its failed {@code Completed}, then exactly one {@code onFailed}.
 */
class ListenerSequenceTests {

    private static final String APP = "fal-ai/sequence";

    @Test
    void aCancelledTrackedRequestReportsTheCancelThenExactlyOneTerminalEvent() {
        List<String> events = new CopyOnWriteArrayList<>();
        try (FalEmulator emu = FalEmulator.builder().start();
             FalClient fal = client(emu, events)) {
            emu.endpoint(APP).processingTime(Duration.ofHours(1));
            SyncRequestHandle handle = fal.submit(APP, Map.of("prompt", "x"),
                    SubmitOptions.builder().track(true).build());
            await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("in-progress"));
            handle.cancel();
            await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("failed"));
            // and nothing after the terminal callback
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(events.subList(events.indexOf("in-progress") + 1, events.size()))
                            .containsExactly("cancelled", "completed-with-error", "failed"));
        }
    }

    @Test
    void aFailedTrackedRequestReportsItsCompletedThenExactlyOneFailure() {
        List<String> events = new CopyOnWriteArrayList<>();
        try (FalEmulator emu = FalEmulator.builder().start();
             FalClient fal = client(emu, events)) {
            emu.endpoint(APP).processingTime(Duration.ofMillis(200)).failWith("runner crashed", "runner_disconnected",
                    500);
            fal.submit(APP, Map.of("prompt", "x"), SubmitOptions.builder().track(true).build());
            await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("failed"));
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(events).endsWith("completed-with-error", "failed")
                            .doesNotContain("cancelled", "result")
                            .containsOnlyOnce("failed"));
        }
    }

    private static FalClient client(FalEmulator emu, List<String> events) {
        return FalClient.builder().key("emulator-key").queueUrl(emu.queueUrl()).runUrl(emu.runUrl())
                .statusMode(StatusMode.POLLING).pollInterval(Duration.ofMillis(50))
                .listener(new FalRequestListener() {
                    @Override
                    public void onStatusChanged(FalRequest request, Status status) {
                        if (status instanceof InProgress) {
                            events.add("in-progress");
                        } else if (status instanceof Completed c) {
                            events.add(c.failed() ? "completed-with-error" : "completed");
                        }
                    }

                    @Override
                    public void onResult(FalRequest request, JsonNode result) {
                        events.add("result");
                    }

                    @Override
                    public void onFailed(FalRequest request, FalException error) {
                        events.add("failed");
                    }

                    @Override
                    public void onCancelled(FalRequest request) {
                        events.add("cancelled");
                    }
                }).build();
    }
}
