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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import dev.falclient.emulator.CallKind;
import dev.falclient.emulator.FalEmulator;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

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
     * concurrent requests, and concurrency is the point here. The test, not the machine's speed, moves the request
     * on: it waits IN_QUEUE behind a blocker, and its output is held back IN_PROGRESS, until both watchers have polled
     * it in that state.
     */
    @Test
    void twoConcurrentWatchersReportEachTransitionOnce() throws Exception {
        Recorder recorder = new Recorder();
        CountDownLatch releaseBlocker = new CountDownLatch(1);
        CountDownLatch releaseTarget = new CountDownLatch(1);
        try (FalEmulator emulator = FalEmulator.builder().workers(1).start();
             AsyncFalClient fal = pollingClient(emulator).listener(recorder).build();
             AsyncFalClient unobserved = pollingClient(emulator).build()) {
            emulator.endpoint(APP).processingTime(Duration.ofMillis(600))
                    .logLines(List.of("L1 a", "L2 b", "L3 c", "L4 d"))
                    .output(input -> {
                        String prompt = input.path("prompt").asString();
                        awaitQuietly(prompt.equals("blocker") ? releaseBlocker : releaseTarget);
                        ObjectNode out = JsonNodeFactory.instance.objectNode().put("prompt", prompt);
                        out.putArray("images").addObject().put("url", "https://cdn.example/" + prompt + ".png");
                        return out;
                    });
            // takes the only worker and keeps it until released; submitted without the listener
            unobserved.submit(APP, Map.of("prompt", "blocker")).block(PATIENCE);
            AsyncRequestHandle handle = fal.submit(APP, Map.of("prompt", "p")).block(PATIENCE);
            String id = handle.requestId();
            Mono<JsonNode> getter = fal.handle(APP, id).get();                  // polls without logs
            Flux<Status> iterator = handle.iterEvents(true, Duration.ofMillis(15)); // polls with logs
            CompletableFuture<JsonNode> result = Mono.zip(getter, iterator.collectList()).map(t -> t.getT1())
                    .toFuture();

            await("both watchers polling the queued request", PATIENCE, () -> recorder.events.contains(
                    "status:Queued(0)") && polls(emulator, id, true) >= 2 && polls(emulator, id, false) >= 2);
            releaseBlocker.countDown();
            await("InProgress with every log line", PATIENCE,
                    () -> recorder.events.contains("status:InProgress") && recorder.logs.size() == 4);
            long withLogs = polls(emulator, id, true);
            long withoutLogs = polls(emulator, id, false);
            await("both watchers polling the running request", PATIENCE,
                    () -> polls(emulator, id, true) >= withLogs + 2 && polls(emulator, id, false) >= withoutLogs + 2);
            releaseTarget.countDown();

            assertThat(result.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).get("prompt").asString()).isEqualTo("p");
            await("onResult", Duration.ofSeconds(3), () -> recorder.events.stream().anyMatch(e -> e.startsWith("result:")));
        } finally {
            releaseBlocker.countDown();
            releaseTarget.countDown();
        }
        assertThat(recorder.statuses()).containsExactly("status:Queued(0)", "status:InProgress", "status:Completed");
        assertThat(recorder.events).filteredOn(e -> e.startsWith("submitted")).hasSize(1);
        assertThat(recorder.events).filteredOn(e -> e.startsWith("result")).hasSize(1);
        assertThat(recorder.logs).extracting(RequestLog::message).containsExactly("L1 a", "L2 b", "L3 c", "L4 d");
        assertThat(recorder.threads).noneMatch(t -> t.startsWith("reactor-http"));
    }

    private static AsyncFalClient.Builder pollingClient(FalEmulator emulator) {
        return AsyncFalClient.builder().key("k").queueUrl(emulator.queueUrl()).runUrl(emulator.runUrl())
                .statusMode(StatusMode.POLLING).pollInterval(Duration.ofMillis(15));
    }

    /** Status polls of the request, with or without {@code logs=1}. */
    private static long polls(FalEmulator emulator, String requestId, boolean withLogs) {
        return emulator.requests(CallKind.STATUS).stream()
                .filter(r -> requestId.equals(r.requestId()) && "1".equals(r.queryParam("logs")) == withLogs)
                .count();
    }

    /** Holds the emulator's timer thread (the request stays IN_PROGRESS) until the test releases it. */
    private static void awaitQuietly(CountDownLatch release) {
        try {
            release.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
            // the second get() fails the same way, but is not reported again
            Awaitility.await().during(Duration.ofMillis(300)).atMost(PATIENCE).untilAsserted(() ->
                    assertThat(recorder.events).containsExactly("status:Completed", "failed:FalHttpException"));
        }
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
            Awaitility.await().during(Duration.ofMillis(300)).atMost(PATIENCE).untilAsserted(() ->
                    assertThat(recorder.events).containsExactly("status:Queued(2)"));
        } finally {
            executor.shutdownNow();
        }
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
