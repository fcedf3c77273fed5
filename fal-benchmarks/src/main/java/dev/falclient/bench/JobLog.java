package dev.falclient.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What happened to each job of one phase, written from any thread: submit-to-result latency, and the time from the
 * emulator's completion to the result in the client's hand. A job that never reports counts as failed.
 */
final class JobLog {

    private final int jobs;
    private final long[] latencyNanos;
    private final long[] completionToHandMicros;
    private final AtomicInteger succeeded = new AtomicInteger();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final AtomicLong lastEndNanos = new AtomicLong();
    private final long startNanos = System.nanoTime();

    JobLog(int jobs) {
        this.jobs = jobs;
        this.latencyNanos = new long[jobs];
        this.completionToHandMicros = new long[jobs];
    }

    /**
     * The job's result is in hand.
     *
     * @param completedAtMicros the emulator's completion time from the output, or a negative number if the output
     *                          lacks it (then the job fails: the output did not arrive intact)
     */
    void succeeded(int job, long jobStartNanos, long completedAtMicros) {
        long now = System.nanoTime();
        long inHandMicros = EmulatorProcess.epochMicros(Instant.now());
        if (completedAtMicros <= 0) {
            failed(job, new IllegalStateException("output without " + EmulatorProcess.COMPLETED_AT));
            return;
        }
        latencyNanos[job] = now - jobStartNanos;
        completionToHandMicros[job] = inHandMicros - completedAtMicros;
        lastEndNanos.accumulateAndGet(now, Math::max);
        succeeded.incrementAndGet();
    }

    void failed(int job, Throwable error) {
        latencyNanos[job] = -1;
        lastEndNanos.accumulateAndGet(System.nanoTime(), Math::max);
        firstError.compareAndSet(null, "job " + job + ": " + oneLine(error));
    }

    int succeeded() {
        return succeeded.get();
    }

    /** Failed jobs, counting those that never ended. */
    int failed() {
        return jobs - succeeded.get();
    }

    String firstError() {
        String e = firstError.get();
        if (e == null && failed() > 0) {
            return failed() + " jobs did not end before the deadline";
        }
        return e == null ? "" : e;
    }

    /** From the start of the phase to the end of its last job (or now, if none ended). */
    long wallNanos() {
        long end = lastEndNanos.get();
        return (end == 0 ? System.nanoTime() : end) - startNanos;
    }

    /** One line per succeeded job: {@code latency_us completion_to_hand_us}. */
    void write(Path file) throws IOException {
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            for (int i = 0; i < jobs; i++) {
                if (latencyNanos[i] > 0) {
                    out.println(latencyNanos[i] / 1_000 + " " + completionToHandMicros[i]);
                }
            }
        }
    }

    private static String oneLine(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null && sb.length() < 400; t = t.getCause()) {
            sb.append(sb.length() == 0 ? "" : " <- ").append(t.getClass().getSimpleName()).append(": ")
                    .append(t.getMessage());
        }
        return sb.toString().replaceAll("\\s+", " ");
    }
}
