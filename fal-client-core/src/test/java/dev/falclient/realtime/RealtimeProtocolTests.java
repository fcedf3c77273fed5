package dev.falclient.realtime;

import static dev.falclient.realtime.FakeRealtimeServer.echo;
import static dev.falclient.realtime.FakeRealtimeServer.send;
import static dev.falclient.realtime.FakeRealtimeServer.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.falclient.AsyncFalClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

/** The realtime protocol as sent and read, against a scripted server: URLs, tokens, frames, errors, closes. */
class RealtimeProtocolTests {

    static final String KEY = "realtime-test-key";
    static final String APP = "fal-ai/fast-lcm-diffusion";
    static final Duration PATIENCE = Duration.ofSeconds(10);

    final FakeRealtimeServer server = new FakeRealtimeServer();
    final AsyncFalClient fal = AsyncFalClient.builder().key(KEY).runUrl(server.runUrl()).restUrl(server.restUrl())
            .build();

    @AfterEach
    void close() {
        fal.close();
        server.close();
    }

    @Test
    void aTokenScopedToTheAppOpensTheSocketAndInputsGoAsMsgpack() {
        JsonNode output = fal.realtime().connect(APP, Flux.just(Map.of("prompt", "a cat")),
                        RealtimeOptions.builder().maxBuffering(2).build())
                .blockFirst(PATIENCE);

        assertThat(output.path("echo").asString()).isEqualTo("{\"prompt\":\"a cat\"}");
        assertThat(output.path("image").binaryValue()).containsExactly(1, 2, 3);
        assertThat(server.tokenAuthorizations).containsExactly("Key " + KEY);
        assertThat(server.tokenRequests).singleElement().satisfies(body -> {
            assertThat(body.path("allowed_apps").toString()).isEqualTo("[\"fast-lcm-diffusion\"]");
            assertThat(body.path("token_expiration").asInt()).isEqualTo(120);
        });
        FakeRealtimeServer.Connection connection = server.connections.get(0);
        assertThat(connection.path()).isEqualTo("/run/fal-ai/fast-lcm-diffusion/realtime");
        assertThat(connection.token()).isEqualTo("token-1");
        assertThat(connection.query().get("max_buffering")).containsExactly("2");
        assertThat(connection.authorization()).as("the key never travels on the socket").isEqualTo("null");
    }

    @Test
    void theRealtimePathIsNotDoubledAndACustomPathIsUsed() {
        fal.realtime().connect(APP + "/realtime", Flux.just(Map.of("a", 1))).blockFirst(PATIENCE);
        fal.realtime().connect("fal-ai/flux/dev", Flux.just(Map.of("a", 1)),
                RealtimeOptions.builder().path("/ws").build()).blockFirst(PATIENCE);

        assertThat(server.connections).extracting(FakeRealtimeServer.Connection::path)
                .containsExactly("/run/fal-ai/fast-lcm-diffusion/realtime", "/run/fal-ai/flux/dev/ws");
        assertThat(server.tokenRequests).extracting(body -> body.path("allowed_apps").get(0).asString())
                .containsExactly("fast-lcm-diffusion", "flux");
    }

    @Test
    void oneTokenServesEveryConnectionToTheAppWhileFresh() {
        fal.realtime().connect(APP, Flux.just(Map.of("a", 1))).blockFirst(PATIENCE);
        fal.realtime().connect(APP, Flux.just(Map.of("a", 2))).blockFirst(PATIENCE);

        assertThat(server.tokenRequests).hasSize(1);
        assertThat(server.connections).extracting(FakeRealtimeServer.Connection::token)
                .containsExactly("token-1", "token-1");
    }

    @Test
    void falsMessagesAreSkippedAndPlainTextStaysReadable() {
        server.script = (c, input) -> List.of(
                send(text("{\"type\":\"x-fal-message\",\"action\":\"timings\",\"timing\":0.1}")),
                send(text("not json")), send(echo(input)));

        StepVerifier.create(fal.realtime().connect(APP, Flux.just(Map.of("a", 1))).take(2))
                .assertNext(first -> assertThat(first.toString())
                        .isEqualTo("{\"type\":\"text\",\"payload\":\"not json\"}"))
                .assertNext(second -> assertThat(second.path("echo").asString()).isEqualTo("{\"a\":1}"))
                .expectComplete().verify(PATIENCE);
    }

    @Test
    void anAppErrorEndsTheFluxWithItsCodeAndReasonAndIsNotRetried() {
        server.script = (c, input) -> List.of(
                send(text("{\"type\":\"x-fal-error\",\"error\":\"INTERNAL_ERROR\",\"reason\":\"boom\"}")),
                new FakeRealtimeServer.Close(1011, "app error"));

        StepVerifier.create(fal.realtime().connect(APP, Flux.just(Map.of("a", 1))))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(FalRealtimeException.class);
                    FalRealtimeException failure = (FalRealtimeException) e;
                    assertThat(failure.code()).isEqualTo("INTERNAL_ERROR");
                    assertThat(failure.reason()).isEqualTo("boom");
                })
                .verify(PATIENCE);
        assertThat(server.connections).hasSize(1);
    }

    @Test
    void aRefusedConnectionIsTypedWithItsStatusAndNeverShowsTheToken() {
        server.handshakeStatus = 401;

        StepVerifier.create(fal.realtime().connect(APP, Flux.just(Map.of("a", 1))))
                .expectErrorSatisfies(e -> {
                    FalRealtimeException failure = (FalRealtimeException) e;
                    assertThat(failure.code()).isEqualTo(FalRealtimeException.CONNECT_REFUSED);
                    assertThat(failure.httpStatus()).hasValue(401);
                    assertThat(failure.getMessage()).contains(APP, "401").doesNotContain("token-1", KEY);
                })
                .verify(PATIENCE);
    }

    @Test
    void anAbnormalCloseReconnectsAfterABackoffAndTheNextInputsFlow() {
        server.script = (c, input) -> c == 0 ? List.of(new FakeRealtimeServer.Drop()) : List.of(send(echo(input)));
        var inputs = Sinks.many().unicast().<Object>onBackpressureBuffer();

        StepVerifier.create(fal.realtime().connect(APP, inputs.asFlux(),
                        RealtimeOptions.builder().reconnectBackoff(Duration.ofMillis(50)).build()))
                .then(() -> inputs.tryEmitNext(Map.of("n", 1)))
                .then(() -> await().atMost(PATIENCE).until(() -> server.connections.size() == 2))
                .then(() -> inputs.tryEmitNext(Map.of("n", 2)))
                .assertNext(output -> assertThat(output.path("echo").asString()).isEqualTo("{\"n\":2}"))
                .thenCancel()
                .verify(PATIENCE);
    }

    @Test
    void withoutReconnectsAnAbnormalCloseFailsWith1006() {
        server.script = (c, input) -> List.of(new FakeRealtimeServer.Drop());

        StepVerifier.create(fal.realtime().connect(APP, Flux.just(Map.of("a", 1)).concatWith(Flux.never()),
                        RealtimeOptions.builder().reconnectAttempts(0).build()))
                .expectErrorSatisfies(e -> {
                    FalRealtimeException failure = (FalRealtimeException) e;
                    assertThat(failure.code()).isEqualTo(FalRealtimeException.CONNECTION_CLOSED);
                    assertThat(failure.closeStatus()).hasValue(1006);
                })
                .verify(PATIENCE);
        assertThat(server.connections).hasSize(1);
    }

    @Test
    void afterFalsIdleTimeoutTheNextInputOpensANewSocket() {
        server.script = (c, input) -> List.of(send(echo(input)),
                send(text("{\"type\":\"x-fal-error\",\"error\":\"TIMEOUT\",\"reason\":\"no inputs, reconnect when needed!\"}")),
                new FakeRealtimeServer.Close(1000, ""));
        var inputs = Sinks.many().unicast().<Object>onBackpressureBuffer();

        StepVerifier.create(fal.realtime().connect(APP, inputs.asFlux()))
                .then(() -> inputs.tryEmitNext(Map.of("n", 1)))
                .assertNext(output -> assertThat(output.path("echo").asString()).isEqualTo("{\"n\":1}"))
                .then(() -> await().during(Duration.ofMillis(300)).atMost(PATIENCE)
                        .until(() -> server.connections.size() == 1))
                .then(() -> inputs.tryEmitNext(Map.of("n", 2)))
                .assertNext(output -> assertThat(output.path("echo").asString()).isEqualTo("{\"n\":2}"))
                .thenCancel()
                .verify(PATIENCE);
        assertThat(server.connections).hasSize(2);
    }

    @Test
    void inputsThatCompleteWhileTheSessionIsIdleEndTheFlux() {
        server.script = (c, input) -> List.of(send(echo(input)),
                send(text("{\"type\":\"x-fal-error\",\"error\":\"TIMEOUT\",\"reason\":\"idle\"}")),
                new FakeRealtimeServer.Close(1000, ""));
        var inputs = Sinks.many().unicast().<Object>onBackpressureBuffer();

        StepVerifier.create(fal.realtime().connect(APP, inputs.asFlux()))
                .then(() -> inputs.tryEmitNext(Map.of("n", 1)))
                .expectNextCount(1)
                .then(() -> await().atMost(PATIENCE).until(() -> server.connections.get(0).closeStatus().get() != 0))
                .then(inputs::tryEmitComplete)
                .expectComplete()
                .verify(PATIENCE);
        assertThat(server.connections).hasSize(1);
    }

    @Test
    void withoutIdleReconnectsFalsTimeoutCompletesTheFlux() {
        server.script = (c, input) -> List.of(send(echo(input)),
                send(text("{\"type\":\"x-fal-error\",\"error\":\"TIMEOUT\",\"reason\":\"idle\"}")));

        StepVerifier.create(fal.realtime().connect(APP, Flux.just(Map.of("a", 1)).concatWith(Flux.never()),
                        RealtimeOptions.builder().reconnectWhenIdle(false).build()))
                .expectNextCount(1)
                .expectComplete().verify(PATIENCE);
        await().atMost(PATIENCE).until(() -> server.connections.get(0).closeStatus().get() == 1000);
    }

    @Test
    void onceTheInputsCompleteTheConnectionClosesNormallyAfterTheOutputTimeout() {
        StepVerifier.create(fal.realtime().connect(APP, Flux.just(Map.of("a", 1), Map.of("a", 2)),
                        RealtimeOptions.builder().outputTimeout(Duration.ofMillis(300)).build()))
                .expectNextCount(2)
                .expectComplete().verify(PATIENCE);
        await().atMost(PATIENCE).until(() -> server.connections.get(0).closeStatus().get() == 1000);
    }

    @Test
    void cancellingClosesTheSocketNormally() {
        fal.realtime().connect(APP, Flux.just(Map.of("a", 1)).concatWith(Flux.never())).blockFirst(PATIENCE);

        await().atMost(PATIENCE).until(() -> server.connections.get(0).closeStatus().get() == 1000);
    }

    @Test
    void jsonEncodingSendsTextFramesAndBytesGoAsTheyAre() {
        server.script = (c, input) -> List.of(send(text("{\"seen\":true}")));
        byte[] raw = {(byte) 0xc1, 9, 9};

        fal.realtime().connect(APP, Flux.just(Map.of("a", 1)),
                RealtimeOptions.builder().encoding(RealtimeEncoding.JSON).build()).blockFirst(PATIENCE);
        fal.realtime().connect(APP, Flux.just(raw)).blockFirst(PATIENCE);

        assertThat(server.connections.get(0).inputs()).singleElement()
                .satisfies(input -> assertThat(input).hasToString("{\"a\":1}"));
        assertThat(server.connections.get(1).inputs()).singleElement()
                .satisfies(input -> assertThat((byte[]) input).containsExactly(raw));
    }

    @Test
    void theInputsAreNotDrainedAheadOfTheSocketAndAllArriveInOrder() {
        server.handshakeDelay = Duration.ofMillis(500);
        server.script = (c, input) -> List.of();
        AtomicLong requested = new AtomicLong();
        Flux<Map<String, Integer>> inputs = Flux.range(1, 1000).map(n -> Map.of("n", n))
                .doOnRequest(n -> requested.addAndGet(Math.min(n, 1_000_000)));

        var session = fal.realtime().connect(APP, inputs).subscribe();
        await().atMost(PATIENCE).until(() -> server.connections.size() == 1);
        assertThat(requested.get()).as("one input held until the socket is open").isEqualTo(1);

        await().atMost(PATIENCE).until(() -> server.connections.get(0).inputs().size() == 1000);
        assertThat(server.connections.get(0).inputs()).extracting(input -> ((JsonNode) input).path("n").asInt())
                .isSorted();
        session.dispose();
    }

    @Test
    void withLatestInputWinsOnlyTheNewestWaitingInputIsSent() {
        server.handshakeDelay = Duration.ofMillis(500);
        server.script = (c, input) -> List.of();
        var inputs = Sinks.many().multicast().<Object>directBestEffort();

        var session = fal.realtime().connect(APP, inputs.asFlux(),
                RealtimeOptions.builder().latestInputWins(true).build()).subscribe();
        await().atMost(PATIENCE).until(() -> server.connections.size() == 1);
        for (int n = 1; n <= 100; n++) {
            inputs.tryEmitNext(Map.of("n", n));
        }
        await().atMost(PATIENCE).until(() -> !server.connections.get(0).inputs().isEmpty());
        await().during(Duration.ofMillis(200)).atMost(PATIENCE)
                .until(() -> server.connections.get(0).inputs().size() <= 2);
        assertThat(server.connections.get(0).inputs()).last()
                .satisfies(input -> assertThat(((JsonNode) input).path("n").asInt()).isEqualTo(100));
        session.dispose();
    }

    @Test
    void anUpgradeFalNeverAnswersIsBoundedByTheResponseTimeout() {
        server.handshakeDelay = Duration.ofSeconds(30);
        try (AsyncFalClient impatient = AsyncFalClient.builder().key(KEY).runUrl(server.runUrl())
                .restUrl(server.restUrl()).responseTimeout(Duration.ofMillis(500)).build()) {
            StepVerifier.create(impatient.realtime().connect(APP, Flux.just(Map.of("a", 1)),
                            RealtimeOptions.builder().reconnectAttempts(0).build()))
                    .expectErrorSatisfies(e -> assertThat(((FalRealtimeException) e).code())
                            .isEqualTo(FalRealtimeException.CONNECT_FAILED))
                    .verify(PATIENCE);
        }
    }

    @Test
    void aMalformedEndpointIdFailsAtOnce() {
        assertThatThrownBy(() -> fal.realtime().connect("no-slash-here", Flux.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
