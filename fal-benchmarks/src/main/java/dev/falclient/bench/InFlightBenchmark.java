package dev.falclient.bench;

import dev.falclient.AsyncFalClient;
import dev.falclient.StatusMode;
import dev.falclient.emulator.FalEmulator;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Holds N requests in flight at once on one {@link AsyncFalClient} against the in-process emulator: every request
 * is submitted, watched until completion and its result fetched, all concurrently. Reports wall time, peak requests
 * in flight, peak live threads and heap after a GC.
 *
 * <pre>
 * ./mvnw -q -Pbenchmarks -pl fal-benchmarks -am package -DskipTests
 * java -jar fal-benchmarks/target/benchmarks.jar [requests=10000] [mode=POLLING|STREAMING] [processing=5s] [poll=2s]
 * </pre>
 *
 * Client and emulator share the JVM and its cores, so the numbers are an upper bound of the client's own cost. Every
 * result is checked against its request; the benchmark exits with status 1 after printing the failures if any request
 * failed or came back with another request's result.
 */
public final class InFlightBenchmark {

    private InFlightBenchmark() {
    }

    public static void main(String[] args) {
        Map<String, String> opts = new java.util.HashMap<>();
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            opts.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        int requests = Integer.parseInt(opts.getOrDefault("requests", "10000"));
        StatusMode mode = StatusMode.valueOf(opts.getOrDefault("mode", "POLLING"));
        Duration processing = Duration.parse("PT" + opts.getOrDefault("processing", "5s"));
        Duration poll = Duration.parse("PT" + opts.getOrDefault("poll", "2s"));

        boolean failed = false;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        try (FalEmulator emulator = FalEmulator.builder()
                .workers(requests).processingTime(processing).logLines(0).maxRecordedRequests(1_000).start();
             AsyncFalClient fal = AsyncFalClient.builder().key("bench")
                     .queueUrl(emulator.queueUrl()).runUrl(emulator.runUrl())
                     .statusMode(mode).pollInterval(poll).streamIdleTimeout(processing.multipliedBy(2))
                     .build()) {
            AtomicInteger inFlight = new AtomicInteger();
            AtomicInteger peakInFlight = new AtomicInteger();
            AtomicLong failures = new AtomicLong();
            List<String> firstFailures = new CopyOnWriteArrayList<>();
            AtomicInteger peakThreads = new AtomicInteger(threads.getThreadCount());
            var sampler = Flux.interval(Duration.ofMillis(200), Schedulers.single())
                    .subscribe(t -> peakThreads.accumulateAndGet(threads.getThreadCount(), Math::max));

            long start = System.nanoTime();
            Long completed = Flux.range(0, requests)
                    .flatMap(i -> fal.submit("fal-ai/fast-sdxl", Map.of("prompt", "benchmark " + i))
                            .doOnSubscribe(s -> peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max))
                            .flatMap(handle -> handle.get())
                            .doOnNext(result -> {
                                // the emulator's default output echoes the prompt of its own request
                                String prompt = result.path("prompt").asString();
                                if (!prompt.equals("benchmark " + i)) {
                                    throw new IllegalStateException("the result of prompt \"" + prompt
                                            + "\" instead of \"benchmark " + i + "\"");
                                }
                            })
                            .doFinally(s -> inFlight.decrementAndGet())
                            .onErrorResume(e -> {
                                if (failures.incrementAndGet() <= 20) {
                                    firstFailures.add("request " + i + ": " + e);
                                }
                                return Mono.empty();
                            }), requests)
                    .count()
                    .block(Duration.ofMinutes(10));
            Duration wall = Duration.ofNanos(System.nanoTime() - start);
            sampler.dispose();
            System.gc();

            System.out.printf("requests=%d mode=%s processing=%s poll=%s%n", requests, mode, processing, poll);
            System.out.printf("completed=%d failed=%d wall=%.1fs peakInFlight=%d peakThreads=%d heapAfterGc=%dMB%n",
                    completed, failures.get(), wall.toMillis() / 1000.0, peakInFlight.get(), peakThreads.get(),
                    memory.getHeapMemoryUsage().getUsed() / (1024 * 1024));
            System.out.printf("calls: %s%n", fal.stats());
            if (failures.get() > 0 || completed == null || completed != requests) {
                System.err.printf("FAILED: %d of %d requests failed, %s completed%n", failures.get(), requests,
                        completed);
                firstFailures.forEach(f -> System.err.println("  " + f));
                if (failures.get() > firstFailures.size()) {
                    System.err.printf("  ... and %d more%n", failures.get() - firstFailures.size());
                }
                failed = true;
            }
        }
        if (failed) {
            System.exit(1);
        }
    }
}
