package dev.falclient.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.falclient.Completed;
import dev.falclient.FalClient;
import dev.falclient.FalException;
import dev.falclient.FalHttpException;
import dev.falclient.FalRateLimitException;
import dev.falclient.FalRequest;
import dev.falclient.FalRequestListener;
import dev.falclient.FalTimeoutException;
import dev.falclient.Queued;
import dev.falclient.Status;
import dev.falclient.StatusMode;
import dev.falclient.SyncRequestHandle;
import dev.falclient.emulator.CallKind;
import dev.falclient.emulator.FalEmulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * One test per emulator fault kind: the client survives it, or reports it as README "Error handling" and "Retries
 * and timeouts" document.
 */
class EmulatorFaultTests {

    private static final String SDXL = "fal-ai/fast-sdxl";
    private static final Map<String, String> INPUT = Map.of("prompt", "fault");
    /** Bound of every wait for the emulator; well below the clients' wait timeout. */
    private static final Duration BOUND = Duration.ofSeconds(10);

    @RegisterExtension
    static FalEmulatorExtension fal = FalEmulatorExtension.newInstance(
            builder -> builder.workers(2).processingTime(Duration.ofMillis(100)).logLines(1));

    private final List<FalClient> clients = new ArrayList<>();

    @AfterEach
    void closeClients() {
        clients.forEach(FalClient::close);
    }

    /** Small backoff and poll interval; polling unless the test needs the stream. */
    private FalClient client(UnaryOperator<FalClient.Builder> customizer) {
        FalClient client = customizer.apply(fal.clientBuilder()
                .initialBackoff(Duration.ofMillis(10))
                .maxBackoff(Duration.ofMillis(20))
                .pollInterval(Duration.ofMillis(30))
                .statusMode(StatusMode.POLLING)
                .waitTimeout(Duration.ofSeconds(20))).build();
        clients.add(client);
        return client;
    }

    private FalClient client() {
        return client(UnaryOperator.identity());
    }

    private static void assertDefaultOutput(JsonNode output, FalEmulator emulator) {
        assertThat(output.path("images").get(0).path("url").asString()).startsWith(emulator.cdnUrl() + "/files/");
    }

    /** Submits with default timeouts and waits until the request is COMPLETED, so its result is ready. */
    private String completedRequest() {
        SyncRequestHandle handle = client().submit(SDXL, INPUT);
        await().atMost(BOUND).until(() -> handle.status() instanceof Completed);
        return handle.requestId();
    }

    // ---- STATUS ---------------------------------------------------------------------------------------------

    @Test
    void status429WithRetryAfterIsRetriedAfterTheServersDelay(FalEmulator emulator) {
        emulator.fault(CallKind.STATUS).times(1).httpStatus(429).retryAfter(Duration.ofSeconds(1));
        FalClient client = client();

        long start = System.nanoTime();
        JsonNode output = client.subscribe(SDXL, INPUT);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertDefaultOutput(output, emulator);
        assertThat(emulator.requests(CallKind.STATUS)).hasSizeGreaterThanOrEqualTo(2);
        // Retry-After: 1 was honoured instead of the 10 ms backoff
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void status429BeyondTheAttemptsIsARateLimitException(FalEmulator emulator) {
        FalClient client = client(b -> b.maxAttempts(2));
        SyncRequestHandle handle = client.submit(SDXL, INPUT);
        emulator.fault(CallKind.STATUS).times(2).httpStatus(429);

        assertThatThrownBy(() -> handle.status())
                .isInstanceOfSatisfying(FalRateLimitException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(429);
                    assertThat(e.requestId()).contains(handle.requestId());
                });
        assertThat(emulator.requests(CallKind.STATUS)).hasSize(2);
    }

    @Test
    void statusDroppedConnectionIsRetried(FalEmulator emulator) {
        emulator.fault(CallKind.STATUS).times(1).dropConnection();

        JsonNode output = client().subscribe(SDXL, INPUT);

        assertDefaultOutput(output, emulator);
        assertThat(emulator.requests(CallKind.STATUS)).hasSizeGreaterThanOrEqualTo(2);
    }

    // ---- SUBMIT ---------------------------------------------------------------------------------------------

    @Test
    void submitIngress502IsReportedAsPossiblySubmittedAndNotRetried(FalEmulator emulator) {
        emulator.fault(CallKind.SUBMIT).times(1).httpStatus(502).ingressStyle();
        FalClient client = client();

        assertThatThrownBy(() -> client.subscribe(SDXL, INPUT))
                .isInstanceOfSatisfying(FalHttpException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(502);
                    assertThat(e.possiblySubmitted()).isTrue();
                    assertThat(e.body()).contains("nginx");
                    assertThat(e.getMessage()).contains("may have been submitted");
                });
        assertThat(emulator.requests(CallKind.SUBMIT)).hasSize(1);
    }

    @Test
    void submitIngress503IsRetriedAndSucceeds(FalEmulator emulator) {
        emulator.fault(CallKind.SUBMIT).times(1).httpStatus(503).ingressStyle();

        JsonNode output = client().subscribe(SDXL, INPUT);

        assertDefaultOutput(output, emulator);
        assertThat(emulator.requests(CallKind.SUBMIT)).hasSize(2);
    }

    @Test
    void submitDroppedConnectionIsPossiblySubmittedAndNotRetried(FalEmulator emulator) {
        emulator.fault(CallKind.SUBMIT).times(1).dropConnection();
        FalClient client = client();

        assertThatThrownBy(() -> client.subscribe(SDXL, INPUT))
                .isInstanceOfSatisfying(FalException.class, e -> assertThat(e.possiblySubmitted()).isTrue());
        assertThat(emulator.requests(CallKind.SUBMIT)).hasSize(1);
    }

    // ---- RESULT ---------------------------------------------------------------------------------------------

    @Test
    void resultMalformedJsonIsRetriedThenAFalExceptionWithExcerptAndRequestId(FalEmulator emulator) {
        emulator.fault(CallKind.RESULT).times(2).malformedJson();
        FalClient client = client(b -> b.maxAttempts(2));

        assertThatThrownBy(() -> client.subscribe(SDXL, INPUT))
                .isInstanceOfSatisfying(FalException.class, e -> {
                    assertThat(e).isNotInstanceOf(FalHttpException.class);
                    String requestId = emulator.requests(CallKind.RESULT).get(0).requestId();
                    assertThat(e.requestId()).contains(requestId);
                    assertThat(e.getMessage()).contains("malformed JSON").contains("{\"images\"");
                });
        // an unreadable answer to a GET is retried, up to maxAttempts
        assertThat(emulator.requests(CallKind.RESULT)).hasSize(2);
    }

    @Test
    void resultDelayBeyondResponseTimeoutIsAFalExceptionWithRequestId(FalEmulator emulator) {
        // submitted with default timeouts: a POST that times out is (rightly) not retried, which is another test
        String requestId = completedRequest();
        FalClient impatient = client(b -> b.responseTimeout(Duration.ofMillis(500)).maxAttempts(2));
        emulator.fault(CallKind.RESULT).times(2).delay(Duration.ofMillis(1500));

        assertThatThrownBy(() -> impatient.result(SDXL, requestId))
                .isInstanceOfSatisfying(FalException.class, e -> {
                    assertThat(e).isNotInstanceOf(FalTimeoutException.class).isNotInstanceOf(FalHttpException.class);
                    assertThat(e.requestId()).contains(requestId);
                    assertThat(e.possiblySubmitted()).isFalse();
                });
        // a read timeout of a GET is retried, up to maxAttempts
        assertThat(emulator.requests(CallKind.RESULT)).hasSize(2);
    }

    @Test
    void resultDelayedOnceBeyondResponseTimeoutIsRetried(FalEmulator emulator) {
        // completed first: the retried call finds the result however long the first attempt took
        String requestId = completedRequest();
        FalClient impatient = client(b -> b.responseTimeout(Duration.ofMillis(500)));
        emulator.fault(CallKind.RESULT).times(1).delay(Duration.ofMillis(1500));

        assertDefaultOutput(impatient.result(SDXL, requestId), emulator);
        assertThat(emulator.requests(CallKind.RESULT)).hasSize(2);
    }

    // ---- STATUS_STREAM --------------------------------------------------------------------------------------

    @Test
    void statusStreamClosedEarlyFallsBackToPolling(FalEmulator emulator) {
        // the job completes only once the client polls: the stream's one event is never COMPLETED, on any machine
        JsonNode scripted = JsonNodeFactory.instance.objectNode().put("completed", "after a poll");
        emulator.endpoint(SDXL).output(input -> {
            await().atMost(BOUND).until(() -> !emulator.requests(CallKind.STATUS).isEmpty());
            return scripted;
        });
        emulator.fault(CallKind.STATUS_STREAM).times(1).closeStreamEarly();
        FalClient client = client(b -> b.statusMode(StatusMode.STREAMING));

        JsonNode output = client.subscribe(SDXL, INPUT);

        assertThat(output).isEqualTo(scripted);
        assertThat(emulator.requests(CallKind.STATUS_STREAM)).hasSize(1);
        assertThat(emulator.requests(CallKind.STATUS)).isNotEmpty();
    }

    @Test
    void statusStreamWithoutFaultNeedsNoPolling(FalEmulator emulator) {
        FalClient client = client(b -> b.statusMode(StatusMode.STREAMING));

        assertDefaultOutput(client.subscribe(SDXL, INPUT), emulator);
        assertThat(emulator.requests(CallKind.STATUS_STREAM)).hasSize(1);
        assertThat(emulator.requests(CallKind.STATUS)).isEmpty();
    }

    // ---- scripted failure -----------------------------------------------------------------------------------

    @Test
    void scriptedFailureIsTheTypedExceptionOfTheResultCall(FalEmulator emulator) {
        emulator.endpoint("fal-ai/broken").failWith("Runner crashed", "runner_server_error", 500);
        FalClient client = client();
        SyncRequestHandle handle = client.submit("fal-ai/broken", INPUT);

        assertThatThrownBy(handle::get)
                .isInstanceOfSatisfying(FalHttpException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(500);
                    assertThat(e.errorType()).isEqualTo("runner_server_error");
                    assertThat(e.getMessage()).contains("Runner crashed");
                    assertThat(e.requestId()).contains(handle.requestId());
                });
        Status status = handle.status();
        assertThat(status).isInstanceOfSatisfying(Completed.class, c -> {
            assertThat(c.failed()).isTrue();
            assertThat(c.errorType()).isEqualTo("runner_server_error");
        });
        // a 500 from fal is not retried
        assertThat(emulator.requests(CallKind.RESULT)).hasSize(1);
    }

    // ---- cancel ---------------------------------------------------------------------------------------------

    @Test
    void cancelOfAQueuedRequest(FalEmulator emulator) throws Exception {
        // far longer than the test: the first request is still running when the others are looked at and cancelled
        emulator.endpoint("fal-ai/slow").workers(1).processingTime(Duration.ofMinutes(5));
        List<FalRequest> cancelled = new CopyOnWriteArrayList<>();
        FalClient client = client(b -> b.listenerExecutor(Runnable::run).listener(new FalRequestListener() {
            @Override
            public void onCancelled(FalRequest request) {
                cancelled.add(request);
            }
        }));
        SyncRequestHandle running = client.submit("fal-ai/slow", INPUT);
        SyncRequestHandle queued = client.submit("fal-ai/slow", INPUT);
        SyncRequestHandle alsoQueued = client.submit("fal-ai/slow", INPUT);
        assertThat(queued.status()).isInstanceOfSatisfying(Queued.class, q -> assertThat(q.position()).isZero());

        // fal's answer, as the emulator documents it
        HttpResponse<String> raw = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(fal.queueUrl() + "/fal-ai/slow/requests/" + alsoQueued.requestId() + "/cancel"))
                .header("Authorization", "Key " + fal.key())
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(raw.statusCode()).isEqualTo(202);
        assertThat(raw.body()).contains("\"CANCELLATION_REQUESTED\"");

        // the client's cancel: accepted (CANCELLATION_REQUESTED), reported to listeners
        queued.cancel();
        assertThat(cancelled).extracting(FalRequest::requestId).containsExactly(queued.requestId());

        for (SyncRequestHandle handle : List.of(queued, alsoQueued)) {
            assertThat(handle.status()).isInstanceOfSatisfying(Completed.class, c -> {
                assertThat(c.error()).isEqualTo("Cancelled");
                assertThat(c.errorType()).isEqualTo("client_cancelled");
            });
            assertThatThrownBy(handle::get).isInstanceOfSatisfying(FalHttpException.class, e -> {
                assertThat(e.statusCode()).isEqualTo(499);
                assertThat(e.errorType()).isEqualTo("client_cancelled");
                assertThat(e.requestId()).contains(handle.requestId());
            });
        }
        // the running request was not affected; cancelling it stops it at once
        assertThat(running.status()).isNotInstanceOf(Completed.class);
        running.cancel();
        assertThat(running.status()).isInstanceOf(Completed.class);
        // cancelling a completed request returns normally (ALREADY_COMPLETED)
        queued.cancel();
        assertThat(cancelled).hasSize(2);
    }
}
