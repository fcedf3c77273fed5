package dev.falclient.bench;

import dev.falclient.emulator.CallKind;
import dev.falclient.settings.WaitSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Pools the runs of each client over all rounds and writes one Markdown table: sums for counts and times,
 * percentiles over all jobs of all rounds, maxima for peaks, and each of our figures as a ratio to fal-java's.
 */
final class Report {

    /** One client's runs pooled. */
    record Pooled(ClientProcess.Kind client, int runs, long jobs, long failed, double jobsPerSecond,
                  double p50Millis, double p99Millis, double completionToHandP50Millis, double cpuMillisPerJob,
                  double peakRssMb, double callsPerJob, double connectionsPerJob, int peakThreads,
                  Map<CallKind, Double> callsPerJobByKind) {
    }

    private record Column(String title, Function<Pooled, Double> value, int decimals) {
    }

    private static final List<Column> COLUMNS = List.of(
            new Column("jobs/s", Pooled::jobsPerSecond, 0),
            new Column("p50 latency ms", Pooled::p50Millis, 0),
            new Column("p99 latency ms", Pooled::p99Millis, 0),
            new Column("completion → result p50 ms", Pooled::completionToHandP50Millis, 1),
            new Column("CPU ms/job", Pooled::cpuMillisPerJob, 2),
            new Column("peak RSS MB", Pooled::peakRssMb, 0),
            new Column("HTTP calls/job", Pooled::callsPerJob, 2),
            new Column("new TCP conns/job", Pooled::connectionsPerJob, 3),
            new Column("peak threads", p -> (double) p.peakThreads(), 0));

    private Report() {
    }

    static Pooled pool(ClientProcess.Kind client, List<RunResult> runs) {
        long jobs = 0;
        long failed = 0;
        long succeeded = 0;
        long wall = 0;
        long cpu = 0;
        long rss = -1;
        int threads = 0;
        long calls = 0;
        long connections = 0;
        long measuredJobs = 0;
        Map<CallKind, Long> byKind = new LinkedHashMap<>();
        List<long[]> latencies = new ArrayList<>();
        List<long[]> toHand = new ArrayList<>();
        for (RunResult r : runs) {
            jobs += r.jobs();
            failed += r.failed();
            if (r.traffic() == null) {
                continue; // broke down: counted as failed, nothing measured
            }
            succeeded += r.succeeded();
            measuredJobs += r.jobs();
            wall += r.wallNanos();
            cpu += r.cpuNanos();
            rss = Math.max(rss, r.peakRssBytes());
            threads = Math.max(threads, r.peakThreads());
            calls += r.traffic().calls();
            connections += r.traffic().connections();
            r.traffic().callsByKind().forEach((k, n) -> byKind.merge(k, n, Long::sum));
            latencies.add(r.latencyMicros());
            toHand.add(r.completionToHandMicros());
        }
        long[] lat = concat(latencies);
        long[] hand = concat(toHand);
        double perJob = measuredJobs == 0 ? Double.NaN : 1.0 / measuredJobs;
        Map<CallKind, Double> kindPerJob = new LinkedHashMap<>();
        byKind.forEach((k, n) -> {
            if (n > 0) {
                kindPerJob.put(k, n * perJob);
            }
        });
        return new Pooled(client, runs.size(), jobs, failed,
                wall == 0 ? Double.NaN : succeeded / (wall / 1e9),
                percentile(lat, 0.50) / 1e3, percentile(lat, 0.99) / 1e3, percentile(hand, 0.50) / 1e3,
                cpu / 1e6 * perJob, rss < 0 ? Double.NaN : rss / (1024.0 * 1024.0),
                calls * perJob, connections * perJob, threads, kindPerJob);
    }

    /** Nearest rank; NaN for no values. */
    static double percentile(long[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** The table: one row per client, ours with ratios to fal-java's figures when fal-java ran. */
    static String table(List<Pooled> rows) {
        Pooled base = rows.stream().filter(p -> p.client() == ClientProcess.Kind.FAL_JAVA).findFirst().orElse(null);
        StringBuilder sb = new StringBuilder();
        StringJoiner head = new StringJoiner(" | ", "| ", " |\n").add("client");
        StringJoiner rule = new StringJoiner("|", "|", "|\n").add("---");
        COLUMNS.forEach(c -> {
            head.add(c.title());
            rule.add("---:");
        });
        head.add("jobs failed");
        rule.add("---:");
        sb.append(head).append(rule);
        for (Pooled p : rows) {
            StringJoiner row = new StringJoiner(" | ", "| ", " |\n").add(label(p.client()));
            for (Column c : COLUMNS) {
                String cell = number(c.value().apply(p), c.decimals());
                if (base != null && p != base) {
                    cell += " (" + ratio(c.value().apply(p), c.value().apply(base)) + ")";
                }
                row.add(cell);
            }
            row.add(p.failed() + " / " + p.jobs());
            sb.append(row);
        }
        return sb.toString();
    }

    /** HTTP calls per job by kind, one clause per client. */
    static String callsByKind(List<Pooled> rows) {
        return rows.stream().map(p -> p.client().id + ": " + p.callsPerJobByKind().entrySet().stream()
                        .map(e -> e.getKey().name() + " " + number(e.getValue(), 2))
                        .collect(Collectors.joining(", ")))
                .collect(Collectors.joining("; "));
    }

    static String label(ClientProcess.Kind client) {
        return switch (client) {
            case FAL_JAVA -> "fal-java 0.7.1 (status stream, via proxyUrl)";
            case OURS_STREAMING -> "ours, STREAMING";
            case OURS_POLLING -> "ours, POLLING (" + WaitSettings.DEFAULTS.pollInterval().toMillis() + " ms)";
        };
    }

    private static String ratio(double ours, double theirs) {
        if (Double.isNaN(ours) || Double.isNaN(theirs) || theirs == 0) {
            return "n/a";
        }
        double r = ours / theirs;
        return String.format(Locale.ROOT, r >= 10 ? "%.0f×" : "%.2f×", r);
    }

    static String number(double v, int decimals) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }

    private static long[] concat(List<long[]> parts) {
        return parts.stream().flatMapToLong(Arrays::stream).toArray();
    }
}
