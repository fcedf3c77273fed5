package dev.falclient.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What Linux's {@code /proc} tells about a process and the machine; -1 or a fallback where it is missing. */
final class Proc {

    private static final long TICKS_PER_SECOND = clockTicks();

    private Proc() {
    }

    /** User plus system CPU time of all the process's threads so far, in nanoseconds ({@code /proc/<pid>/stat}). */
    static long cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
            // the command name may hold spaces and parentheses: fields are counted after its closing one
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 (utime) and 15 (stime)
            return ticks * 1_000_000_000L / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The process's peak resident set size in bytes ({@code VmHWM} of {@code /proc/<pid>/status}). */
    static long peakRssBytes(long pid) {
        return statusKb(Path.of("/proc", Long.toString(pid), "status"), "VmHWM:") * 1024;
    }

    /** The machine's memory in bytes. */
    static long memoryBytes() {
        long kb = statusKb(Path.of("/proc/meminfo"), "MemTotal:");
        if (kb > 0) {
            return kb * 1024;
        }
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return -1;
    }

    /** The CPU model, or the architecture where {@code /proc/cpuinfo} is missing. */
    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim().replaceAll("\\s+", " ");
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    /** {@code /proc/loadavg}'s three load averages, or "n/a". */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).trim().split("\\s+");
            return f[0] + ", " + f[1] + ", " + f[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    /** {@code git describe --always --dirty} of the working directory, or empty outside a checkout. */
    static String gitCommit() {
        String out = command("git", "describe", "--always", "--dirty");
        return out == null ? "" : out;
    }

    private static long statusKb(Path file, String key) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (String line : lines) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone
        }
        return -1;
    }

    /** {@code getconf CLK_TCK}, nearly always 100. */
    private static long clockTicks() {
        String out = command("getconf", "CLK_TCK");
        try {
            return out == null ? 100 : Long.parseLong(out);
        } catch (NumberFormatException e) {
            return 100;
        }
    }

    /** The trimmed output of a short command, or {@code null} if it fails or takes more than 5 s. */
    private static String command(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                return out.isEmpty() ? null : out;
            }
            p.destroyForcibly();
        } catch (IOException | RuntimeException e) {
            // not available
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }
}
