package dev.falclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.falclient.emulator.FalEmulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/** {@code inFlight()}: tracked requests and callers' waits listed while watched, with their last status. */
class InFlightTests {

    private static final String APP = "fal-ai/fast-sdxl";

    private FalEmulator emu;
    private AsyncFalClient fal;

    @BeforeEach
    void start() {
        emu = FalEmulator.builder().workers(1).processingTime(Duration.ofSeconds(2)).start();
        fal = AsyncFalClient.builder().key("emulator-key").queueUrl(emu.queueUrl()).runUrl(emu.runUrl()).build();
    }

    @AfterEach
    void stop() {
        fal.close();
        emu.close();
    }

    @Test
    void trackedRequestsAreListedWithTheirLastStatusUntilTheyEnd() {
        assertThat(fal.inFlight()).isEmpty();
        SubmitOptions tracked = SubmitOptions.builder().track(true).build();
        String first = fal.submit(APP, Map.of("prompt", "a"), tracked).block().requestId();
        String second = fal.submit(APP, Map.of("prompt", "b"), tracked).block().requestId();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<InFlightRequest> now = fal.inFlight();
            assertThat(now).extracting(InFlightRequest::requestId).containsExactly(first, second);
            assertThat(now).allSatisfy(r -> {
                assertThat(r.endpointId()).isEqualTo(APP);
                assertThat(r.tracked()).isTrue();
                assertThat(r.since()).isBeforeOrEqualTo(r.updatedAt());
            });
            assertThat(now.get(0).status()).isEqualTo("IN_PROGRESS");
            assertThat(now.get(1).status()).isEqualTo("IN_QUEUE");
            assertThat(now.get(1).position()).hasValue(0);
        });
        await().atMost(Duration.ofSeconds(15)).until(() -> fal.inFlight().isEmpty());
    }

    @Test
    void aCallerWaitIsListedAsUntrackedAndGoneWhenItIsCancelled() {
        Disposable waiting = fal.subscribe(APP, Map.of("prompt", "c")).subscribe();
        try {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(fal.inFlight()).singleElement()
                    .satisfies(r -> {
                        assertThat(r.tracked()).isFalse();
                        assertThat(r.status()).isIn("IN_QUEUE", "IN_PROGRESS");
                    }));
        } finally {
            waiting.dispose();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> fal.inFlight().isEmpty());
        assertThat(fal.blocking().inFlight()).isEmpty();
    }
}
