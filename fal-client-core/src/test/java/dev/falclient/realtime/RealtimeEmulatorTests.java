package dev.falclient.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.falclient.AsyncFalClient;
import dev.falclient.FalClient;
import dev.falclient.emulator.CallKind;
import dev.falclient.emulator.FalEmulator;
import dev.falclient.emulator.IssuedToken;
import dev.falclient.emulator.RealtimeSession;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

/** Realtime sessions against the emulator's realtime endpoint: behaviour over time, both faces. */
class RealtimeEmulatorTests {

    static final String KEY = "emulator-realtime-key";
    static final String APP = "fal-ai/fast-lcm-diffusion";
    static final Duration PATIENCE = Duration.ofSeconds(10);

    final FalEmulator emu = FalEmulator.builder().requiredKey(KEY).start();
    final AsyncFalClient fal = AsyncFalClient.builder().key(KEY).runUrl(emu.runUrl()).restUrl(emu.restUrl())
            .build();

    @AfterEach
    void close() {
        fal.close();
        emu.close();
    }

    @Test
    void inputsGetOutputsOverATokenAuthorisedSession() {
        emu.endpoint(APP).realtimeOutput(input -> input.deepCopy());

        List<JsonNode> outputs = fal.realtime().connect(APP, Flux.just(Map.of("prompt", "a", "request_id", "r1"),
                        Map.of("prompt", "b")), RealtimeOptions.builder().maxBuffering(2).build())
                .take(2).collectList().block(PATIENCE);

        assertThat(outputs).extracting(output -> output.path("prompt").asString()).containsExactly("a", "b");
        RealtimeSession session = emu.realtimeSessions().get(0);
        assertThat(session.auth()).isEqualTo(RealtimeSession.Auth.TOKEN);
        assertThat(session.query()).containsEntry("max_buffering", "2");
        assertThat(emu.issuedTokens()).singleElement()
                .satisfies(token -> assertThat(token.allowedApps()).containsExactly("fast-lcm-diffusion"));
        await().atMost(PATIENCE).until(() -> !emu.realtimeSessions().get(0).open());
        assertThat(emu.realtimeSessions().get(0).closeStatus()).isEqualTo(1000);
    }

    @Test
    void theTokenIsRefreshedDuringASessionAndAReconnectUsesTheFreshOne() {
        emu.endpoint(APP).realtimeIdleTimeout(Duration.ofMillis(2500)).realtimeOutput(input -> input.deepCopy());
        Sinks.Many<Object> inputs = Sinks.many().unicast().onBackpressureBuffer();
        List<JsonNode> outputs = new CopyOnWriteArrayList<>();

        var session = fal.realtime().connect(APP, inputs.asFlux(),
                RealtimeOptions.builder().tokenExpiration(Duration.ofSeconds(2)).build()).subscribe(outputs::add);
        inputs.tryEmitNext(Map.of("n", 1));
        await().atMost(PATIENCE).until(() -> outputs.size() == 1);
        // refreshed at 90% of the 2 s while the first session is still open
        await().atMost(PATIENCE).until(() -> emu.issuedTokens().size() == 2);
        assertThat(emu.realtimeSessions()).singleElement().satisfies(s -> assertThat(s.open()).isTrue());

        // fal's idle timeout ends the first session after the first token expired; the next input reconnects
        await().atMost(PATIENCE).until(() -> !emu.realtimeSessions().get(0).open());
        inputs.tryEmitNext(Map.of("n", 2));
        await().atMost(PATIENCE).until(() -> outputs.size() == 2);
        List<IssuedToken> issued = emu.issuedTokens();
        assertThat(emu.realtimeSessions()).extracting(RealtimeSession::token)
                .containsExactly(issued.get(0).token(), issued.get(1).token());
        session.dispose();
    }

    @Test
    void anAppErrorSurfacesAsItsCodeAndReason() {
        emu.endpoint(APP).realtimeFailure(1, "the model crashed");

        StepVerifier.create(fal.realtime().connect(APP, Flux.just(Map.of("n", 1), Map.of("n", 2))))
                .expectNextCount(1)
                .expectErrorSatisfies(e -> {
                    FalRealtimeException failure = (FalRealtimeException) e;
                    assertThat(failure.code()).isEqualTo("INTERNAL_ERROR");
                    assertThat(failure.reason()).isEqualTo("the model crashed");
                })
                .verify(PATIENCE);
        assertThat(emu.realtimeSessions()).hasSize(1);
    }

    @Test
    void aDroppedConnectionIsReopenedAndLaterInputsAreAnswered() {
        emu.endpoint(APP).realtimeDrop(1);
        Sinks.Many<Object> inputs = Sinks.many().unicast().onBackpressureBuffer();

        StepVerifier.create(fal.realtime().connect(APP, inputs.asFlux(),
                        RealtimeOptions.builder().reconnectBackoff(Duration.ofMillis(50)).build()))
                .then(() -> inputs.tryEmitNext(Map.of("n", 1)))
                .expectNextCount(1)
                .then(() -> inputs.tryEmitNext(Map.of("n", 2)))
                .then(() -> await().atMost(PATIENCE).until(() -> emu.realtimeSessions().size() == 2))
                .then(() -> inputs.tryEmitNext(Map.of("n", 3)))
                .expectNextCount(1)
                .thenCancel()
                .verify(PATIENCE);
        assertThat(emu.realtimeSessions().get(0).closeStatus()).isEqualTo(1006);
    }

    @Test
    void anInputSentRightAfterADelayedUpgradeIsAnswered() {
        // the emulator upgrades on the connection's event loop even after a scripted delay, so no first frame is lost
        emu.fault(CallKind.REALTIME).delay(Duration.ofMillis(10)).times(30);

        for (int n = 0; n < 30; n++) {
            assertThat(fal.realtime().connect(APP, Flux.just(Map.of("n", n))).blockFirst(PATIENCE)).isNotNull();
        }
        assertThat(emu.realtimeSessions()).hasSize(30);
    }

    @Test
    void aKeyFalRefusesFailsWithTheTokenCallsError() {
        AsyncFalClient wrongKey = AsyncFalClient.builder().key("wrong-key").runUrl(emu.runUrl())
                .restUrl(emu.restUrl()).build();
        try {
            StepVerifier.create(wrongKey.realtime().connect(APP, Flux.just(Map.of("n", 1))))
                    .expectErrorSatisfies(e -> {
                        FalRealtimeException failure = (FalRealtimeException) e;
                        assertThat(failure.code()).isEqualTo(FalRealtimeException.TOKEN_FAILED);
                        assertThat(failure.getMessage()).contains(APP, "401").doesNotContain("wrong-key");
                    })
                    .verify(PATIENCE);
            assertThat(emu.realtimeSessions()).isEmpty();
        } finally {
            wrongKey.close();
        }
    }

    @Test
    void theBlockingConnectionSendsReceivesAndClosesNormally() {
        emu.endpoint(APP).realtimeOutput(input -> input.deepCopy());
        FalClient blocking = fal.blocking();

        try (FalRealtimeConnection connection = blocking.realtime().connect(APP)) {
            connection.send(Map.of("prompt", "a cat"));
            assertThat(connection.receive(PATIENCE)).hasValueSatisfying(output ->
                    assertThat(output.path("prompt").asString()).isEqualTo("a cat"));
            assertThat(connection.receive(Duration.ofMillis(200))).isEmpty();
            assertThat(connection.isOpen()).isTrue();
        }
        await().atMost(PATIENCE).until(() -> !emu.realtimeSessions().get(0).open());
        assertThat(emu.realtimeSessions().get(0).closeStatus()).isEqualTo(1000);
    }

    @Test
    void theBlockingConnectionCanDeliverToACallback() {
        emu.endpoint(APP).realtimeOutput(input -> input.deepCopy());
        List<JsonNode> seen = new CopyOnWriteArrayList<>();

        try (FalRealtimeConnection connection = fal.blocking().realtime()
                .connect(APP, RealtimeOptions.DEFAULTS, seen::add)) {
            connection.send(Map.of("n", 1));
            connection.send(Map.of("n", 2));
            await().atMost(PATIENCE).until(() -> seen.size() == 2);
            assertThatThrownBy(() -> connection.receive(Duration.ofMillis(10)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("callback");
        }
        assertThat(seen).extracting(output -> output.path("n").asInt()).containsExactly(1, 2);
    }

    @Test
    void aFailedBlockingConnectionThrowsOnTheNextCall() {
        emu.endpoint(APP).realtimeFailure(0, "no model");

        try (FalRealtimeConnection connection = fal.blocking().realtime().connect(APP,
                RealtimeOptions.builder().reconnectAttempts(0).build())) {
            connection.send(Map.of("n", 1));
            assertThatThrownBy(() -> connection.receive(PATIENCE))
                    .isInstanceOfSatisfying(FalRealtimeException.class,
                            e -> assertThat(e.code()).isEqualTo("INTERNAL_ERROR"));
            assertThat(connection.isOpen()).isFalse();
            assertThatThrownBy(() -> connection.send(Map.of("n", 2))).isInstanceOf(FalRealtimeException.class);
        }
    }

    @Test
    void aBlockingSendWaitsForRoomAndTimesOutWhenTheSocketTakesNothing() {
        emu.fault(CallKind.REALTIME).delay(Duration.ofSeconds(3));

        try (FalRealtimeConnection connection = fal.blocking().realtime().connect(APP,
                RealtimeOptions.builder().maxPendingInputs(2).build())) {
            connection.send(Map.of("n", 1));
            connection.send(Map.of("n", 2));
            connection.send(Map.of("n", 3));
            assertThatThrownBy(() -> connection.send(Map.of("n", 4), Duration.ofMillis(200)))
                    .isInstanceOfSatisfying(FalRealtimeException.class,
                            e -> assertThat(e.code()).isEqualTo("SEND_TIMEOUT"));
        }
    }

    @Test
    void aConnectionFalEndedRefusesInputsWhenItDoesNotReconnect() {
        emu.endpoint(APP).realtimeIdleTimeout(Duration.ofMillis(300));

        try (FalRealtimeConnection connection = fal.blocking().realtime().connect(APP,
                RealtimeOptions.builder().reconnectWhenIdle(false).build())) {
            connection.send(Map.of("n", 1));
            assertThat(connection.receive(PATIENCE)).isPresent();
            await().atMost(PATIENCE).until(() -> !connection.isOpen());
            assertThat(connection.receive(Duration.ofMillis(10))).isEmpty();
            assertThatThrownBy(() -> connection.send(Map.of("n", 2))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("ended");
        }
    }

    @Test
    void aClosedConnectionRefusesInputs() {
        FalRealtimeConnection connection = fal.blocking().realtime().connect(APP);
        connection.close();
        connection.close();

        assertThat(connection.isOpen()).isFalse();
        assertThatThrownBy(() -> connection.send(Map.of("n", 1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
