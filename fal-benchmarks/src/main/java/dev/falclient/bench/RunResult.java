package dev.falclient.bench;

import dev.falclient.emulator.Traffic;

/**
 * One measured run of one client: {@code jobs} submitted after the warm-up, what the client reported, what
 * {@code /proc} and the emulator saw.
 *
 * @param failed                 measured and warm-up jobs that did not bring back their result, plus all jobs of a
 *                               run that broke down (see {@code error})
 * @param wallNanos              from the first submit to the last result
 * @param cpuNanos               the client process's user + system CPU time during the measured jobs
 * @param emulatorCpuNanos       the emulator process's CPU time meanwhile (-1 where {@code /proc} is missing)
 * @param peakRssBytes           the client process's peak resident set size (its whole life, warm-up included)
 * @param peakThreads            the client JVM's peak live threads during the measured jobs
 * @param traffic                what the emulator received during the measured jobs
 * @param latencyMicros          submit to result in hand, one per succeeded job
 * @param completionToHandMicros the emulator's completion to the result in hand, one per succeeded job
 * @param error                  the first failure, or empty
 */
record RunResult(ClientProcess.Kind client, int round, int jobs, int failed, long wallNanos, long cpuNanos,
                 long emulatorCpuNanos, long peakRssBytes, int peakThreads, Traffic traffic, long[] latencyMicros,
                 long[] completionToHandMicros, String error) {

    /** A run that broke down: every job counts as failed. */
    static RunResult broken(ClientProcess.Kind client, int round, int jobs, String error) {
        return new RunResult(client, round, jobs, jobs, 0, -1, -1, -1, 0, null, new long[0], new long[0], error);
    }

    int succeeded() {
        return jobs - failed;
    }
}
