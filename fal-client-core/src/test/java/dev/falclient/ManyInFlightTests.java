package dev.falclient;

import static org.assertj.core.api.Assertions.assertThat;

import dev.falclient.emulator.CallKind;
import dev.falclient.emulator.FalEmulator;
import dev.falclient.emulator.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The README's "10,000 requests in flight on one JVM", a tenth of it in the default build (the full scale is
 * {@code fal-benchmarks}' InFlightBenchmark): one {@link AsyncFalClient} with its default pool, polling every 2 s as
 * the benchmark does, and the emulator with a worker for every request. No request finishes before every submit was
 * accepted, so all of them are in flight at once however slow the machine is. About 10 s on two busy cores.
 */
class ManyInFlightTests {

    private static final int REQUESTS = 1_000;
    private static final String APP = "fal-ai/many";
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void aThousandRequestsInFlightOnOneClientAllCompleteWithTheirOwnResults() {
        CountDownLatch accepted = new CountDownLatch(REQUESTS);
        AtomicLong acceptedWhenTheFirstFinished = new AtomicLong(-1);
        List<String> failures = new CopyOnWriteArrayList<>();
        try (FalEmulator emu = FalEmulator.builder().workers(REQUESTS).processingTime(Duration.ofMillis(200))
                .logLines(0).maxRecordedRequests(100_000).start();
             AsyncFalClient fal = AsyncFalClient.builder().key("k").queueUrl(emu.queueUrl()).runUrl(emu.runUrl())
                     .statusMode(StatusMode.POLLING).pollInterval(Duration.ofSeconds(2)).build()) {
            // runs on the emulator's timer thread as each request finishes: the first one waits for every submit
            emu.endpoint(APP).output(input -> {
                if (acceptedWhenTheFirstFinished.get() < 0) {
                    awaitQuietly(accepted);
                    acceptedWhenTheFirstFinished.compareAndSet(-1, REQUESTS - accepted.getCount());
                }
                return JsonNodeFactory.instance.objectNode().put("n", input.path("n").asInt());
            });

            List<String> results = Flux.range(0, REQUESTS)
                    .flatMap(i -> fal.submit(APP, Map.of("n", i))
                            .doOnNext(handle -> accepted.countDown())
                            .flatMap(handle -> handle.get())
                            .map(result -> i + "->" + result.path("n").asInt())
                            .onErrorResume(e -> {
                                failures.add(i + ": " + e);
                                return Mono.empty();
                            }), REQUESTS)
                    .collectList()
                    .block(PATIENCE);

            assertThat(failures).isEmpty();
            assertThat(acceptedWhenTheFirstFinished).hasValue(REQUESTS);
            // each request got its own result: n came back as sent
            assertThat(results).containsExactlyInAnyOrderElementsOf(
                    IntStream.range(0, REQUESTS).mapToObj(i -> i + "->" + i).toList());
            assertThat(emu.requests(CallKind.SUBMIT)).hasSize(REQUESTS)
                    .extracting(RecordedRequest::requestId).doesNotHaveDuplicates();
            assertThat(emu.requests(CallKind.RESULT)).hasSize(REQUESTS);
            FalClientStats stats = fal.stats();
            assertThat(stats.failed()).isZero();
            assertThat(stats.inFlight()).isZero();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
