package dev.falclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.falclient.emulator.CallKind;
import dev.falclient.emulator.FalEmulator;
import dev.falclient.emulator.Traffic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** Streaming runs against the emulator: partial outputs, mid-stream errors, early close, idle and close bounds. */
class StreamingEmulatorTests {

    private static final String APP = "fal-ai/any-llm";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private FalEmulator emu;

    record Token(String text, boolean partial) {
    }

    @AfterEach
    void stop() {
        if (emu != null) {
            emu.close();
        }
    }

    private FalClient.Builder client() {
        return FalClient.builder().key("emulator-key").queueUrl(emu.queueUrl()).runUrl(emu.runUrl());
    }

    private void tokens(int count, Duration interval) {
        emu.endpoint(APP).partialInterval(interval)
                .partials(count, (i, in) -> NODES.objectNode().put("text", in.path("prompt").asString() + i)
                        .put("partial", true))
                .output(in -> NODES.objectNode().put("text", "done").put("partial", false));
    }

    @Test
    void partialOutputsArriveInOrderAndTheLastElementIsTheFinalOutput() {
        emu = FalEmulator.start();
        tokens(3, Duration.ofMillis(10));
        try (FalClient fal = client().build()) {
            try (Stream<JsonNode> events = fal.stream(APP, Map.of("prompt", "t"))) {
                assertThat(events.map(e -> e.path("text").asString())).containsExactly("t0", "t1", "t2", "done");
            }
            assertThat(fal.async().stream(APP, Map.of("prompt", "r"), Token.class).collectList().block())
                    .containsExactly(new Token("r0", true), new Token("r1", true), new Token("r2", true),
                            new Token("done", false));
        }
        assertThat(emu.requests(CallKind.STREAM)).hasSize(2)
                .allSatisfy(r -> assertThat(r.endpointId()).isEqualTo(APP));
    }

    @Test
    void aMidStreamErrorEndsTheStreamWithTheTypedExceptionCarryingFalsDetail() {
        emu = FalEmulator.start();
        tokens(5, Duration.ofMillis(10));
        emu.endpoint(APP).streamFailure(2, "CUDA out of memory", "runner_server_error");
        List<String> seen = new ArrayList<>();
        AtomicReference<String> requestId = new AtomicReference<>();
        try (FalClient fal = client().build();
             Stream<JsonNode> events = fal.stream(APP, Map.of("prompt", "t"),
                     StreamOptions.builder().onRequestId(requestId::set).build())) {
            assertThatThrownBy(() -> events.forEach(e -> seen.add(e.path("text").asString())))
                    .isInstanceOfSatisfying(FalHttpException.class, e -> {
                        assertThat(e.errorType()).isEqualTo("runner_server_error");
                        assertThat(e.statusCode()).isEqualTo(500);
                        assertThat(e.requestId()).hasValue(emu.requests(CallKind.STREAM).get(0).requestId());
                    })
                    .hasMessageContaining("CUDA out of memory");
        }
        assertThat(seen).containsExactly("t0", "t1");
        assertThat(requestId.get()).isEqualTo(emu.requests(CallKind.STREAM).get(0).requestId());
    }

    @Test
    void aNon2xxAnswerIsTheSameExceptionAsRuns() {
        emu = FalEmulator.start();
        emu.endpoint("fal-ai/busy").failWith("No runner available", "runner_scheduling_failure", 503);
        emu.endpoint("fal-ai/strict").validationError(List.of(
                dev.falclient.emulator.EndpointScript.FieldError.of("prompt", "field required")));
        try (FalClient fal = client().build()) {
            assertThatThrownBy(() -> fal.stream("fal-ai/busy", Map.of()).toList())
                    .isInstanceOfSatisfying(FalHttpException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(503);
                        assertThat(e.errorType()).isEqualTo("runner_scheduling_failure");
                    })
                    .hasMessageContaining("No runner available");
            assertThatThrownBy(() -> fal.stream("fal-ai/strict", Map.of()).toList())
                    .isInstanceOfSatisfying(FalValidationException.class, e -> assertThat(e.errorsFor("prompt"))
                            .singleElement().satisfies(f -> assertThat(f.msg()).isEqualTo("field required")));
        }
        // fal's own 503 (it carries a request id) is not retried: the run may have started
        assertThat(emu.requests(CallKind.STREAM)).hasSize(2);
    }

    @Test
    void closingTheJavaStreamEarlyClosesTheConnectionAndFreesItsPoolSlot() {
        emu = FalEmulator.start();
        tokens(1_000, Duration.ofMillis(20));
        emu.endpoint("fal-ai/fast").processingTime(Duration.ZERO);
        // one connection in the pool: a leaked stream would leave the next call waiting for it
        try (FalClient fal = client().maxConnections(1).pendingAcquireTimeout(Duration.ofSeconds(5)).build()) {
            Traffic before = emu.traffic();
            try (Stream<JsonNode> events = fal.stream(APP, Map.of("prompt", "t"))) {
                Iterator<JsonNode> it = events.iterator();
                assertThat(it.next().path("text").asString()).isEqualTo("t0");
                assertThat(it.next().path("text").asString()).isEqualTo("t1");
            }
            assertThat(fal.run("fal-ai/fast", Map.of())).isNotNull();
            Traffic after = emu.traffic().minus(before);
            // the emulator saw the stream's connection go: the run needed a new one
            assertThat(after.connections()).isEqualTo(2);
            assertThat(after.calls(CallKind.STREAM)).isEqualTo(1);
        }
    }

    @Test
    void cancellingTheFluxEarlyReleasesTheConnectionAndAFinishedStreamLeavesItPooled() {
        emu = FalEmulator.start();
        tokens(1_000, Duration.ofMillis(20));
        emu.endpoint("fal-ai/short").partialInterval(Duration.ofMillis(5))
                .partials(2, (i, in) -> NODES.objectNode().put("i", i));
        emu.endpoint("fal-ai/fast").processingTime(Duration.ZERO);
        try (AsyncFalClient fal = client().maxConnections(1).pendingAcquireTimeout(Duration.ofSeconds(5)).build()
                .async()) {
            Traffic before = emu.traffic();
            assertThat(fal.stream(APP, Map.of("prompt", "t")).take(3).collectList().block()).hasSize(3);
            assertThat(fal.run("fal-ai/fast", Map.of()).block()).isNotNull();
            assertThat(emu.traffic().minus(before).connections()).isEqualTo(2);

            Traffic reused = emu.traffic();
            assertThat(fal.stream("fal-ai/short", Map.of()).collectList().block()).hasSize(3);
            assertThat(fal.run("fal-ai/fast", Map.of()).block()).isNotNull();
            // read to its end, the stream's connection went back to the pool and served the run
            assertThat(emu.traffic().minus(reused).connections()).isZero();
        }
    }

    @Test
    void aStreamSilentForLongerThanTheIdleTimeoutEndsWithATimeout() {
        emu = FalEmulator.builder().streamKeepAlive(null).start();
        tokens(3, Duration.ofSeconds(1));
        List<JsonNode> seen = new ArrayList<>();
        try (FalClient fal = client().build();
             Stream<JsonNode> events = fal.stream(APP, Map.of("prompt", "t"),
                     StreamOptions.builder().idleTimeout(Duration.ofMillis(300)).build())) {
            assertThatThrownBy(() -> events.forEach(seen::add))
                    .isInstanceOfSatisfying(FalTimeoutException.class, e -> {
                        assertThat(e.possiblySubmitted()).isTrue();
                        assertThat(e.requestId()).isPresent();
                    })
                    .hasMessageContaining("idleTimeout");
        }
        assertThat(seen).hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void keepAliveCommentsCountAsActivity() {
        // silences of 2.5 s between events, a keep-alive every 100 ms, an idle timeout of 1 s
        emu = FalEmulator.builder().streamKeepAlive(Duration.ofMillis(100)).start();
        tokens(1, Duration.ofMillis(2_500));
        try (FalClient fal = client().streamIdleTimeout(Duration.ofSeconds(1)).build()) {
            assertThat(fal.stream(APP, Map.of("prompt", "t")).toList()).hasSize(2);
        }
    }

    @Test
    void closingTheClientEndsAnOpenStreamWithAnErrorNamingTheEndpoint() {
        emu = FalEmulator.start();
        tokens(1_000, Duration.ofMillis(20));
        FalClient fal = client().build();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<JsonNode> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        fal.async().stream(APP, Map.of("prompt", "t")).subscribe(seen::add, failure::set);
        FalTestSupport.await("first event", FalTestSupport.PATIENCE, () -> !seen.isEmpty());
        fal.close();
        FalTestSupport.await("stream failure", FalTestSupport.PATIENCE, () -> failure.get() != null);
        assertThat(failure.get()).isInstanceOf(FalException.class).hasMessageContaining("closed while streaming")
                .hasMessageContaining(APP);
    }
}
