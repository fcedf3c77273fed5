package dev.falclient;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.falclient.FalTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import dev.falclient.emulator.CallKind;
import dev.falclient.emulator.FalEmulator;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** The {@link FalRequestListener} contract. */
@WireMockTest
class ListenerTests {

    private static final String APP = "fal-ai/flux";
    private static final String ID = "req-l";

    /** Records every callback as a readable string, with the thread it ran on. */
    static final class Recorder implements FalRequestListener {
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();
        final List<RequestLog> logs = new CopyOnWriteArrayList<>();

        private void add(String event) {
            events.add(event);
            threads.add(Thread.currentThread().getName());
        }

        @Override
        public void onSubmitted(FalRequest request) {
            add("submitted:" + request.requestId());
        }

        @Override
        public void onStatusChanged(FalRequest request, Status status) {
            add("status:" + describe(status));
        }

        @Override
        public void onLogs(FalRequest request, List<RequestLog> newLogs) {
            logs.addAll(newLogs);
            add("logs:" + newLogs.size());
        }

        @Override
        public void onResult(FalRequest request, JsonNode result) {
            add("result:" + result);
        }

        @Override
        public void onFailed(FalRequest request, FalException error) {
            add("failed:" + error.getClass().getSimpleName());
        }

        @Override
        public void onCancelled(FalRequest request) {
            add("cancelled");
        }

        List<String> statuses() {
            return events.stream().filter(e -> e.startsWith("status:")).toList();
        }

        static String describe(Status s) {
            if (s instanceof Queued q) {
                return "Queued(" + q.position() + ")";
            }
            return s.getClass().getSimpleName();
        }
    }

    private static String logsJson(String... messages) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < messages.length; i++) {
            b.append(i == 0 ? "" : ",").append(log("2025-01-01T00:00:0" + messages[i].charAt(1) + "Z", messages[i]));
        }
        return b.append("]").toString();
    }

    /** A progression of status replies, each used {@code repeat} times. */
    private static void progression(String... replies) {
        String state = STARTED;
        for (int i = 0; i < replies.length; i++) {
            String next = i == replies.length - 1 ? null : "s" + (i + 1);
            var stub = statusStub(APP, ID).inScenario("p").whenScenarioStateIs(state).willReturn(okJson(replies[i]));
            stubFor(next == null ? stub : stub.willSetStateTo(next));
            state = next;
        }
    }

    @Test
    void fullLifecycleInOrderOffTheEventLoop(WireMockRuntimeInfo wm) {
        stubFor(submitStub(wm, APP, APP, ID));
        progression(queued(3), queued(3), queued(1), inProgress(logsJson("L1 a", "L2 b")),
                inProgress(logsJson("L2 b", "L3 c")), inProgress(logsJson("L3 c", "L4 d")),
                "{\"status\":\"COMPLETED\",\"logs\":" + logsJson("L4 d", "L5 e") + ",\"metrics\":{}}");
        stubFor(resultStub(APP, ID).willReturn(okJson("{\"r\":1}")));
        Recorder recorder = new Recorder();
        try (FalClient fal = builder(wm).listener(recorder).build()) {
            SyncRequestHandle handle = fal.submit(APP, Map.of());
            List<Status> events = handle.iterEvents(true, Duration.ofMillis(20)).toList();
            assertThat(events).hasSize(7);
            assertThat(handle.get().get("r").asInt()).isEqualTo(1);
            await("onResult", Duration.ofSeconds(3), () -> recorder.events.stream().anyMatch(e -> e.startsWith("result:")));
        }
        assertThat(recorder.events).containsExactly(
                "submitted:" + ID,
                "status:Queued(3)",
                "status:Queued(1)",
                "status:InProgress",
                "logs:2",
                "logs:1",
                "logs:1",
                "logs:1",
                "status:Completed",
                "result:{\"r\":1}");
        assertThat(recorder.logs).extracting(RequestLog::message).containsExactly("L1 a", "L2 b", "L3 c", "L4 d", "L5 e");
        assertThat(recorder.threads).isNotEmpty().noneMatch(t -> t.startsWith("reactor-http"));
    }

    /**
     * Runs against the emulator rather than a WireMock scenario: WireMock's scenario state is not safe under
     * concurrent requests, and concurrency is the point here.
     */
    @Test
    void twoConcurrentWatchersReportEachTransitionOnce() {
        Recorder recorder = new Recorder();
        try (FalEmulator emulator = FalEmulator.builder().workers(1).processingTime(Duration.ofMillis(600)).start();
             AsyncFalClient fal = AsyncFalClient.builder().key("k").queueUrl(emulator.queueUrl())
                     .runUrl(emulator.runUrl()).statusMode(StatusMode.POLLING).pollInterval(Duration.ofMillis(15))
                     .listener(recorder).build()) {
            emulator.endpoint(APP).queueTime(Duration.ofMillis(200)).logLines(List.of("L1 a", "L2 b", "L3 c", "L4 d"));
            AsyncRequestHandle handle = fal.submit(APP, Map.of("prompt", "p")).block(Duration.ofSeconds(5));
            Mono<JsonNode> getter = fal.handle(APP, handle.requestId()).get();
            Flux<Status> iterator = handle.iterEvents(true, Duration.ofMillis(15));
            JsonNode result = Mono.zip(getter, iterator.collectList()).map(t -> t.getT1()).block(Duration.ofSeconds(10));
            assertThat(result.get("images")).hasSize(1);
            await("onResult", Duration.ofSeconds(3), () -> recorder.events.stream().anyMatch(e -> e.startsWith("result:")));
            assertThat(emulator.requests(CallKind.STATUS).size()).isGreaterThan(4);
        }
        assertThat(recorder.statuses()).containsExactly("status:Queued(0)", "status:InProgress", "status:Completed");
        assertThat(recorder.events).filteredOn(e -> e.startsWith("submitted")).hasSize(1);
        assertThat(recorder.events).filteredOn(e -> e.startsWith("result")).hasSize(1);
        assertThat(recorder.logs).extracting(RequestLog::message).containsExactly("L1 a", "L2 b", "L3 c", "L4 d");
        assertThat(recorder.threads).noneMatch(t -> t.startsWith("reactor-http"));
    }

    @Test
    void logsWithoutTimestampsAreDeduplicatedByMessage(WireMockRuntimeInfo wm) {
        progression(inProgress("[{\"message\":\"same\"},{\"message\":\"other\"}]"),
                inProgress("[{\"message\":\"same\"},{\"message\":\"new\"}]"), completed());
        Recorder recorder = new Recorder();
        try (FalClient fal = builder(wm).listener(recorder).build()) {
            fal.handle(APP, ID).iterEvents(true, Duration.ofMillis(20)).toList();
            await("Completed", Duration.ofSeconds(3), () -> recorder.events.contains("status:Completed"));
        }
        assertThat(recorder.logs).extracting(RequestLog::message).containsExactly("same", "other", "new");
    }

    @Test
    void failedResultReportsOnFailedOnce(WireMockRuntimeInfo wm) {
        stubFor(statusStub(APP, ID).willReturn(okJson(completed())));
        stubFor(resultStub(APP, ID).willReturn(json(500, "{\"detail\":\"x\"}")));
        Recorder recorder = new Recorder();
        try (FalClient fal = builder(wm).maxAttempts(1).listener(recorder).build()) {
            for (int i = 0; i < 2; i++) {
                try {
                    fal.handle(APP, ID).get();
                } catch (FalHttpException expected) {
                    assertThat(expected.statusCode()).isEqualTo(500);
                }
            }
            await("onFailed", Duration.ofSeconds(3), () -> recorder.events.contains("failed:FalHttpException"));
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertThat(recorder.events).containsExactly("status:Completed", "failed:FalHttpException");
    }

    @Test
    void throwingListenerDoesNotBreakTheCallOrOtherListeners(WireMockRuntimeInfo wm) {
        stubFor(statusStub(APP, ID).willReturn(okJson(completed())));
        stubFor(resultStub(APP, ID).willReturn(okJson("{\"ok\":true}")));
        Recorder recorder = new Recorder();
        FalRequestListener broken = new FalRequestListener() {
            @Override
            public void onStatusChanged(FalRequest request, Status status) {
                throw new IllegalStateException("listener bug");
            }
        };
        try (FalClient fal = builder(wm).listener(broken).listener(recorder).build()) {
            assertThat(fal.handle(APP, ID).get().get("ok").asBoolean()).isTrue();
            await("onResult", Duration.ofSeconds(3), () -> recorder.events.contains("result:{\"ok\":true}"));
        }
        assertThat(recorder.events).containsExactly("status:Completed", "result:{\"ok\":true}");
    }

    @Test
    void customListenerExecutorIsUsed(WireMockRuntimeInfo wm) {
        stubFor(statusStub(APP, ID).willReturn(okJson(queued(2))));
        Recorder recorder = new Recorder();
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "my-listener-thread"));
        try (FalClient fal = builder(wm).listener(recorder).listenerExecutor(executor).build()) {
            fal.handle(APP, ID).status();
            fal.handle(APP, ID).status(); // same position: not reported again
            await("status", Duration.ofSeconds(3), () -> !recorder.events.isEmpty());
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            executor.shutdownNow();
        }
        assertThat(recorder.events).containsExactly("status:Queued(2)");
        assertThat(recorder.threads).containsExactly("my-listener-thread");
    }

    @Test
    void queuedAfterInProgressIsNotReported(WireMockRuntimeInfo wm) {
        progression(queued(1), inProgress("[]"), queued(0), completed());
        Recorder recorder = new Recorder();
        try (FalClient fal = builder(wm).listener(recorder).build()) {
            SyncRequestHandle handle = fal.handle(APP, ID);
            for (int i = 0; i < 4; i++) {
                handle.status();
            }
            await("Completed", Duration.ofSeconds(3), () -> recorder.events.contains("status:Completed"));
        }
        assertThat(recorder.statuses()).containsExactly("status:Queued(1)", "status:InProgress", "status:Completed");
    }
}
