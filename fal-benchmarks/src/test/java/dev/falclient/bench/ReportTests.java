package dev.falclient.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.falclient.emulator.CallKind;
import dev.falclient.emulator.Traffic;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTests {

    private static RunResult run(ClientProcess.Kind client, int round, long wallMillis, long cpuMillis,
                                 long connections, long[] latencyMicros) {
        Traffic t = new Traffic(connections, Map.of(CallKind.SUBMIT, 4L, CallKind.STATUS_STREAM, 4L,
                CallKind.RESULT, 4L));
        return new RunResult(client, round, 4, 0, wallMillis * 1_000_000, cpuMillis * 1_000_000, -1,
                100L * 1024 * 1024, 20, t, latencyMicros, new long[] {1_000, 2_000, 3_000, 4_000}, "");
    }

    @Test
    void percentilesAreNearestRank() {
        long[] v = {5, 1, 4, 2, 3};
        assertThat(Report.percentile(v, 0.5)).isEqualTo(3);
        assertThat(Report.percentile(v, 0.99)).isEqualTo(5);
        assertThat(Report.percentile(v, 0.01)).isEqualTo(1);
        assertThat(Report.percentile(new long[0], 0.5)).isNaN();
    }

    @Test
    void runsArePooledSummedAndPeaked() {
        Report.Pooled p = Report.pool(ClientProcess.Kind.FAL_JAVA, List.of(
                run(ClientProcess.Kind.FAL_JAVA, 1, 1_000, 8, 2, new long[] {100_000, 200_000, 300_000, 400_000}),
                run(ClientProcess.Kind.FAL_JAVA, 2, 3_000, 8, 0, new long[] {500_000, 600_000, 700_000, 800_000}),
                RunResult.broken(ClientProcess.Kind.FAL_JAVA, 3, 4, "crashed")));

        assertThat(p.jobs()).isEqualTo(12);
        assertThat(p.failed()).isEqualTo(4);
        assertThat(p.jobsPerSecond()).isEqualTo(2.0); // 8 results in 4 s
        assertThat(p.p50Millis()).isEqualTo(400.0);
        assertThat(p.p99Millis()).isEqualTo(800.0);
        assertThat(p.completionToHandP50Millis()).isEqualTo(2.0);
        assertThat(p.cpuMillisPerJob()).isEqualTo(2.0);
        assertThat(p.callsPerJob()).isEqualTo(3.0);
        assertThat(p.connectionsPerJob()).isEqualTo(0.25);
        assertThat(p.peakRssMb()).isEqualTo(100.0);
        assertThat(p.callsPerJobByKind()).containsEntry(CallKind.SUBMIT, 1.0).doesNotContainKey(CallKind.STATUS);
    }

    @Test
    void theTableHasOneRowPerClientWithRatiosToFalJava() {
        long[] oneSecond = {1_000_000, 1_000_000, 1_000_000, 1_000_000};
        long[] halfASecond = {500_000, 500_000, 500_000, 500_000};
        Report.Pooled theirs = Report.pool(ClientProcess.Kind.FAL_JAVA, List.of(
                run(ClientProcess.Kind.FAL_JAVA, 1, 2_000, 8, 4, oneSecond)));
        Report.Pooled ours = Report.pool(ClientProcess.Kind.OURS_STREAMING, List.of(
                run(ClientProcess.Kind.OURS_STREAMING, 1, 1_000, 4, 0, halfASecond)));

        String table = Report.table(List.of(theirs, ours));

        List<String> lines = table.lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("| client | jobs/s |").endsWith("| jobs failed |");
        assertThat(lines.get(2)).startsWith("| fal-java 0.7.1").doesNotContain("×");
        // twice the rate, half the latency, the same completion-to-result time, half the CPU
        assertThat(lines.get(3)).startsWith("| ours, STREAMING | 4 (2.00×) | 500 (0.50×) | 500 (0.50×)"
                        + " | 2.0 (1.00×) | 1.00 (0.50×) |")
                .contains("| 0.000 (0.00×) |").endsWith("| 0 / 4 |");
    }
}
