package dev.falclient.bench;

import dev.falclient.emulator.Traffic;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * The side-by-side benchmark: our client (STREAMING and POLLING) and fal's official Java client, each in its own JVM
 * with the same flags, against the emulator in a JVM of its own, with the same workload, in alternating order
 * (ABBA...) over several rounds. Prints one Markdown table to stdout; progress and per-run figures go to stderr.
 * Exits 0 when every job of every run brought back its result, 1 when any failed, 2 on bad options, 3 when the
 * harness itself broke down (the emulator did not start, or a client did not exit cleanly).
 *
 * <pre>
 * java -jar fal-benchmarks/target/benchmarks.jar side-by-side --jobs 2000 --concurrency 200 --rounds 2
 * </pre>
 */
public final class SideBySide {

    private static final Set<String> OPTIONS = Set.of("jobs", "concurrency", "queue-ms", "progress-ms", "warmup",
            "rounds", "clients", "jvm-flags", "emulator-jvm-flags", "timeout-s", "log-dir", "prime-jobs");
    private static final String KEY = "bench-key";
    /** Every child logs only warnings: the same for all clients, and quiet. */
    private static final String QUIET = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn";

    private final List<Child> live = new CopyOnWriteArrayList<>();
    private long primeFailed;
    private final int jobs;
    private final int concurrency;
    private final int queueMs;
    private final int progressMs;
    private final int warmup;
    private final int primeJobs;
    private final int rounds;
    private final List<ClientProcess.Kind> clients;
    private final String clientIds;
    private final List<String> jvmFlags;
    private final List<String> emulatorFlags;
    private final int timeoutSeconds;
    private final Path logDir;

    private SideBySide(Args args) throws IOException {
        jobs = args.integer("jobs", 6000, 1);
        concurrency = args.integer("concurrency", 200, 1);
        queueMs = args.integer("queue-ms", 200, 0);
        progressMs = args.integer("progress-ms", 300, 0);
        // after 2,000 jobs the JIT still took a sixth of our client's CPU; 10,000 halved both clients' CPU per job
        warmup = args.integer("warmup", 10_000, 0);
        primeJobs = args.integer("prime-jobs", 1000, 0);
        rounds = args.integer("rounds", 2, 1);
        clients = Arrays.stream(args.string("clients", "fal-java,ours-streaming,ours-polling").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).map(ClientProcess.Kind::of).distinct().toList();
        if (clients.isEmpty()) {
            throw new IllegalArgumentException("--clients names no client");
        }
        jvmFlags = flags(args.string("jvm-flags", "-Xmx512m"));
        emulatorFlags = flags(args.string("emulator-jvm-flags", "-Xmx1g"));
        clientIds = clients.stream().map(c -> c.id).collect(Collectors.joining(","));
        // generous: a run that is merely slow must finish, one that hangs must not hold the benchmark for long
        long waves = (Math.max(jobs, warmup) + concurrency - 1) / concurrency;
        timeoutSeconds = args.integer("timeout-s",
                (int) Math.max(120, 20 * waves * (queueMs + progressMs) / 1000 + 30), 1);
        logDir = args.has("log-dir") ? Files.createDirectories(Path.of(args.string("log-dir", "")))
                : Files.createTempDirectory("fal-bench-");
    }

    public static void main(String[] argv) throws Exception {
        SideBySide bench;
        try {
            bench = new SideBySide(new Args(argv, OPTIONS));
        } catch (IllegalArgumentException e) {
            System.err.println("side-by-side: " + e.getMessage());
            System.err.println("usage: side-by-side [--jobs 6000] [--concurrency 200] [--queue-ms 200]"
                    + " [--progress-ms 300] [--warmup 10000] [--prime-jobs 1000] [--rounds 2]"
                    + " [--clients fal-java,ours-streaming,ours-polling] [--jvm-flags \"-Xmx512m\"]"
                    + " [--emulator-jvm-flags \"-Xmx1g\"] [--timeout-s N] [--log-dir DIR]");
            System.exit(2);
            return;
        }
        System.exit(bench.run());
    }

    private int run() throws Exception {
        Thread cleanup = new Thread(() -> live.forEach(Child::close), "side-by-side-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        String date = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        String loadBefore = Proc.loadAverage();
        log("logs and per-job files in " + logDir);
        List<RunResult> inOrder = new ArrayList<>();
        Map<ClientProcess.Kind, List<RunResult>> results = new LinkedHashMap<>();
        clients.forEach(c -> results.put(c, new ArrayList<>()));
        List<String> emuFlags = new ArrayList<>(emulatorFlags);
        emuFlags.add(QUIET);
        try (Child emulator = start("emulator", emuFlags, EmulatorProcess.class, List.of(
                "--queue-ms", Integer.toString(queueMs), "--progress-ms", Integer.toString(progressMs),
                "--workers", Integer.toString(concurrency), "--key", KEY))) {
            Map<String, String> listening;
            try {
                listening = emulator.await("LISTENING", Duration.ofSeconds(60));
            } catch (IllegalStateException e) {
                log("the emulator did not start: " + e.getMessage());
                return 3;
            }
            String base = listening.get("base");
            String proxy = listening.get("proxy");
            // a cold emulator (its JIT still compiling) would slow down whichever client came first
            for (ClientProcess.Kind client : primeJobs > 0 ? clients : List.<ClientProcess.Kind>of()) {
                log("priming the emulator: " + primeJobs + " unmeasured jobs of " + client.id);
                RunResult r = runOne(emulator, base, proxy, client, 0, primeJobs, 0);
                primeFailed += r.failed();
                log(summary(r));
            }
            for (int round = 1; round <= rounds; round++) {
                for (ClientProcess.Kind client : order(round)) {
                    RunResult r = runOne(emulator, base, proxy, client, round, jobs, warmup);
                    results.get(client).add(r);
                    inOrder.add(r);
                    log(summary(r));
                    Thread.sleep(1_000); // let the machine settle between JVMs
                }
            }
        } finally {
            live.forEach(Child::close);
        }
        List<Report.Pooled> pooled = clients.stream().map(c -> Report.pool(c, results.get(c))).toList();
        System.out.println(header(date));
        System.out.println(Report.table(pooled));
        System.out.println(footer(pooled, inOrder, loadBefore, Proc.loadAverage()));
        Runtime.getRuntime().removeShutdownHook(cleanup);
        if (primeFailed > 0 || pooled.stream().anyMatch(p -> p.failed() > 0)) {
            return 1;
        }
        // every job succeeded, yet a client did not exit as it should: say so in the exit code too
        return inOrder.stream().anyMatch(r -> !r.error().isEmpty()) ? 3 : 0;
    }

    /** ABBA...: odd rounds run the clients in the order given, even rounds in the reverse order. */
    private List<ClientProcess.Kind> order(int round) {
        List<ClientProcess.Kind> order = new ArrayList<>(clients);
        if (round % 2 == 0) {
            Collections.reverse(order);
        }
        return order;
    }

    /** One client JVM: {@code warmup} jobs, then {@code jobs} measured ones; round 0 primes the emulator. */
    private RunResult runOne(Child emulator, String base, String proxy, ClientProcess.Kind client, int round,
                             int jobs, int warmup) throws Exception {
        String name = (round == 0 ? "prime" : "round-" + round) + "-" + client.id;
        Path raw = logDir.resolve(name + ".jobs.txt");
        if (round > 0) {
            log("round " + round + "/" + rounds + ": " + client.id + " (warm-up " + warmup + " jobs)");
        }
        List<String> flags = new ArrayList<>(jvmFlags);
        flags.add(QUIET);
        Duration phase = Duration.ofSeconds(timeoutSeconds + 60L); // the child's own deadline, plus JVM start
        try (Child c = start(name, flags, ClientProcess.class, List.of("--client", client.id, "--base", base,
                "--proxy", proxy, "--key", KEY, "--jobs", Integer.toString(jobs),
                "--concurrency", Integer.toString(concurrency), "--warmup", Integer.toString(warmup),
                "--timeout-s", Integer.toString(timeoutSeconds), "--raw", raw.toString()))) {
            Map<String, String> ready = c.await("READY", phase);
            int warmFailed = (int) Wire.number(ready, "failed");
            Traffic before = traffic(emulator);
            long emulatorCpuBefore = Proc.cpuNanos(emulator.pid());
            long cpuBefore = Proc.cpuNanos(c.pid());
            c.send("GO");
            Map<String, String> done = c.await("DONE", phase);
            long cpuAfter = Proc.cpuNanos(c.pid());
            long emulatorCpu = Proc.cpuNanos(emulator.pid()) - emulatorCpuBefore;
            long rss = Proc.peakRssBytes(c.pid());
            Traffic during = traffic(emulator).minus(before);
            int exit = c.finish(Duration.ofSeconds(30));
            long cpu = cpuBefore >= 0 && cpuAfter >= 0 ? cpuAfter - cpuBefore : Wire.number(done, "cpuNanos");
            List<long[]> perJob = readJobs(raw);
            String error = done.getOrDefault("error", "");
            if (warmFailed > 0) {
                error = "warm-up: " + warmFailed + " failed, first " + ready.get("error") + "; " + error;
            }
            if (exit != 0 && exit != 1) {
                error = "exit code " + exit + "; " + error;
            }
            return new RunResult(client, round, jobs, (int) Wire.number(done, "failed") + warmFailed,
                    Wire.number(done, "wallNanos"), cpu, emulatorCpu, rss, (int) Wire.number(done, "peakThreads"),
                    during, perJob.get(0), perJob.get(1), error);
        } catch (IllegalStateException | IOException e) {
            log(e.getMessage());
            return RunResult.broken(client, round, jobs, e.getMessage());
        }
    }

    private Child start(String name, List<String> flags, Class<?> main, List<String> args) throws IOException {
        Child c = Child.start(name, flags, main.getName(), args, logDir);
        live.add(c);
        return c;
    }

    private static Traffic traffic(Child emulator) throws Exception {
        emulator.send("TRAFFIC");
        return EmulatorProcess.traffic(emulator.await("TRAFFIC", Duration.ofSeconds(30)));
    }

    /** The per-job file: latencies and completion-to-hand times, in microseconds. */
    private static List<long[]> readJobs(Path raw) throws IOException {
        List<String> lines = Files.readAllLines(raw, StandardCharsets.UTF_8);
        long[] latency = new long[lines.size()];
        long[] toHand = new long[lines.size()];
        for (int i = 0; i < lines.size(); i++) {
            String[] f = lines.get(i).trim().split(" ");
            latency[i] = Long.parseLong(f[0]);
            toHand[i] = Long.parseLong(f[1]);
        }
        return List.of(latency, toHand);
    }

    private String header(String date) {
        Runtime rt = Runtime.getRuntime();
        String jdk = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + " ("
                + System.getProperty("java.vm.vendor") + ")";
        String command = String.format(Locale.ROOT, "side-by-side --jobs %d --concurrency %d --queue-ms %d"
                        + " --progress-ms %d --warmup %d --prime-jobs %d --rounds %d --clients %s --jvm-flags \"%s\""
                        + " --emulator-jvm-flags \"%s\"", jobs, concurrency, queueMs, progressMs, warmup, primeJobs,
                rounds, clientIds, String.join(" ", jvmFlags), String.join(" ", emulatorFlags));
        String commit = Proc.gitCommit();
        return String.join("\n",
                "### Side by side: our client and fal-java against the emulator",
                "",
                "- Date: " + date + (commit.isEmpty() ? "" : "; our client as of commit " + commit),
                String.format(Locale.ROOT, "- Machine: %d cores (%s), %.1f GiB RAM, %s %s %s; JDK %s",
                        rt.availableProcessors(), Proc.cpuModel(), Proc.memoryBytes() / (1024.0 * 1024 * 1024),
                        System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch"),
                        jdk),
                String.format(Locale.ROOT, "- Workload per run: %d jobs, %d in flight, each %d ms queued + %d ms in"
                                + " progress in the emulator, after %d warm-up jobs in the same JVM; %d round(s), order"
                                + " alternating (odd rounds: %s; even rounds: the reverse); before round 1, %d"
                                + " unmeasured jobs of each client warm up the emulator",
                        jobs, concurrency, queueMs, progressMs, warmup, rounds,
                        order(1).stream().map(c -> c.id).collect(Collectors.joining(", ")), primeJobs),
                "- Each client in its own JVM (`java " + String.join(" ", jvmFlags) + "`), the emulator in its own"
                        + " (`java " + String.join(" ", emulatorFlags) + "`, a worker per job in flight);"
                        + " fal-java reaches it through its `proxyUrl` (header `x-fal-target-url`)",
                "- Command: `java -jar fal-benchmarks/target/benchmarks.jar " + command + "`",
                "");
    }

    private String footer(List<Report.Pooled> rows, List<RunResult> inOrder, String loadBefore,
                          String loadAfter) {
        double idealRate = concurrency * 1000.0 / Math.max(1, queueMs + progressMs);
        String perRun = inOrder.stream().map(r -> {
            Report.Pooled p = Report.pool(r.client(), List.of(r));
            return "r" + r.round() + " " + r.client().id + " " + Report.number(p.jobsPerSecond(), 0) + " / "
                    + Report.number(p.p50Millis(), 0) + " / " + Report.number(p.cpuMillisPerJob(), 2);
        }).collect(Collectors.joining("; "));
        return String.join("\n",
                "",
                "Figures pooled over all rounds; in parentheses, ours ÷ fal-java (above 1 means more: better for"
                        + " jobs/s, worse for the other columns). Ideal: " + Report.number(idealRate, 0)
                        + " jobs/s and " + (queueMs + progressMs) + " ms per job.",
                "",
                "Per run, in run order (jobs/s / p50 ms / CPU ms per job): " + perRun + ".",
                "",
                "HTTP calls per job by kind: " + Report.callsByKind(rows) + ".",
                "",
                "Load average (1, 5, 15 min) at the start: " + loadBefore + "; at the end: " + loadAfter
                        + ". The client and the emulator share the machine's cores with anything else running.");
    }

    private static String summary(RunResult r) {
        if (r.traffic() == null) {
            return "  " + r.client().id + ": BROKE DOWN: " + r.error();
        }
        Report.Pooled p = Report.pool(r.client(), List.of(r));
        return String.format(Locale.ROOT, "  %s: %d/%d ok, %.0f jobs/s, p50 %.0f ms, p99 %.0f ms,"
                        + " completion->result p50 %.1f ms, CPU %.2f ms/job, peak RSS %.0f MB, %.2f calls/job,"
                        + " %.3f conns/job, %d threads; emulator CPU %.2f ms/job%s",
                r.client().id, r.succeeded(), r.jobs(), p.jobsPerSecond(), p.p50Millis(), p.p99Millis(),
                p.completionToHandP50Millis(), p.cpuMillisPerJob(), p.peakRssMb(), p.callsPerJob(),
                p.connectionsPerJob(), p.peakThreads(), r.emulatorCpuNanos() / 1e6 / r.jobs(),
                r.error().isEmpty() ? "" : "; first failure: " + r.error());
    }

    private static List<String> flags(String text) {
        return Arrays.stream(text.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }

    private static void log(String line) {
        System.err.println(line);
        System.err.flush();
    }
}
