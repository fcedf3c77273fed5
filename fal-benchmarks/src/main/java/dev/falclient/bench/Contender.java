package dev.falclient.bench;

import java.time.Duration;
import java.util.Map;

/**
 * One client under test, set up in its own JVM by {@link ClientProcess}. It runs jobs through the client's ordinary
 * public API, exactly as an application would: nothing in it is keyed to the emulator.
 */
interface Contender extends AutoCloseable {

    /**
     * Runs jobs {@code 0..jobs-1}, at most {@code concurrency} at once (a new one starts when one ends), each a
     * queue submit, a wait for completion and the result, and reports every job to {@code log}. Returns when all
     * jobs have ended or {@code deadline} has passed, whichever is first.
     */
    void run(int jobs, int concurrency, JobLog log, Duration deadline) throws InterruptedException;

    @Override
    void close();

    /** The input of job {@code i}: the same for every client. */
    static Map<String, Object> input(int i) {
        return Map.of("prompt", "a lighthouse at dusk, job " + i, "seed", i + 1);
    }
}
