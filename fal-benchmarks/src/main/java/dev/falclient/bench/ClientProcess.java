package dev.falclient.bench;

import dev.falclient.StatusMode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One client under test in its own JVM, driven by {@link SideBySide} over stdin/stdout: runs the warm-up, prints
 * {@code READY}, waits for {@code GO}, runs the measured jobs, writes one line per job to {@code --raw}, prints
 * {@code DONE ...} and exits when stdin ends (so the driver can read its {@code /proc} figures first). If stdin ends
 * before that, the driver is gone and the process stops at once.
 */
public final class ClientProcess {

    /** The clients the benchmark knows, by the name used on the command line. */
    enum Kind {
        FAL_JAVA("fal-java"), OURS_STREAMING("ours-streaming"), OURS_POLLING("ours-polling");

        final String id;

        Kind(String id) {
            this.id = id;
        }

        static Kind of(String id) {
            for (Kind k : values()) {
                if (k.id.equals(id)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown client " + id + " (known: fal-java, ours-streaming,"
                    + " ours-polling)");
        }
    }

    private static final String EOF = "\u0000EOF";
    private static final BlockingQueue<String> STDIN = new LinkedBlockingQueue<>();
    private static volatile boolean finished;

    private ClientProcess() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, Set.of("client", "base", "proxy", "key", "jobs", "concurrency", "warmup",
                "timeout-s", "raw"));
        Kind kind = Kind.of(args.string("client", ""));
        int jobs = args.integer("jobs", 2000, 1);
        int concurrency = args.integer("concurrency", 200, 1);
        int warmup = args.integer("warmup", 200, 0);
        Duration deadline = Duration.ofSeconds(args.integer("timeout-s", 120, 1));
        String key = args.string("key", "bench-key");
        readStdin();

        int exit;
        try (Contender client = switch (kind) {
            case FAL_JAVA -> new FalJavaContender(args.string("proxy", ""), key);
            case OURS_STREAMING -> new OurContender(args.string("base", ""), key, StatusMode.STREAMING);
            case OURS_POLLING -> new OurContender(args.string("base", ""), key, StatusMode.POLLING);
        }) {
            JobLog warm = new JobLog(warmup);
            if (warmup > 0) {
                client.run(warmup, concurrency, warm, deadline);
            }
            say("READY", Map.of("failed", warm.failed(), "error", warm.firstError()));
            if (!await("GO", deadline)) {
                System.exit(3);
            }

            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            threads.resetPeakThreadCount();
            long cpuStart = processCpuNanos();
            JobLog run = new JobLog(jobs);
            client.run(jobs, concurrency, run, deadline);
            long cpu = processCpuNanos() - cpuStart;
            run.write(Path.of(args.string("raw", "jobs.txt")));

            Map<String, Object> done = new LinkedHashMap<>();
            done.put("succeeded", run.succeeded());
            done.put("failed", run.failed());
            done.put("wallNanos", run.wallNanos());
            done.put("cpuNanos", cpu);
            done.put("peakThreads", threads.getPeakThreadCount());
            done.put("error", run.firstError());
            finished = true;
            say("DONE", done);
            await(EOF, Duration.ofMinutes(2));
            exit = run.failed() + warm.failed() > 0 ? 1 : 0;
        }
        System.exit(exit);
    }

    /** The JVM's own CPU time (all threads, user and system), for where {@code /proc} is missing. */
    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    private static void say(String tag, Map<String, ?> fields) {
        System.out.println(Wire.format(tag, fields));
        System.out.flush();
    }

    /** Waits for a line (or the end of stdin, if {@code line} is {@link #EOF}); false on the end or the deadline. */
    private static boolean await(String line, Duration deadline) throws InterruptedException {
        long until = System.nanoTime() + deadline.toNanos();
        for (long left = deadline.toNanos(); left > 0; left = until - System.nanoTime()) {
            String got = STDIN.poll(left, TimeUnit.NANOSECONDS);
            if (got == null) {
                return false;
            }
            if (got.equals(line)) {
                return true;
            }
            if (got.equals(EOF)) {
                return false;
            }
        }
        return false;
    }

    private static void readStdin() {
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                for (String l = in.readLine(); l != null; l = in.readLine()) {
                    STDIN.add(l.trim());
                }
            } catch (IOException e) {
                // as good as the end
            }
            if (!finished) {
                // the driver is gone: nobody reads what this process would measure
                Runtime.getRuntime().halt(3);
            }
            STDIN.add(EOF);
        }, "stdin");
        reader.setDaemon(true);
        reader.start();
    }
}
