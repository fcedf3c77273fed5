package dev.falclient.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A JVM the driver started: talks to it by lines on stdin/stdout, keeps its stderr in a log file, and always waits
 * for a bounded time. {@link #close()} ends stdin (which the children take as the signal to stop) and then stops
 * the process, forcibly if it lingers.
 */
final class Child implements AutoCloseable {

    private static final String EOF = "\u0000EOF";

    private final String name;
    private final Process process;
    private final Path stderr;
    private final Writer stdin;
    private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();

    private Child(String name, Process process, Path stderr) {
        this.name = name;
        this.process = process;
        this.stderr = stderr;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = out.readLine(); l != null; l = out.readLine()) {
                    stdout.add(l);
                }
            } catch (IOException e) {
                // the process is gone
            }
            stdout.add(EOF);
        }, name + "-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code java [jvmFlags] -cp [classPath] mainClass [args]} with the driver's own java binary. */
    static Child start(String name, List<String> jvmFlags, String mainClass, List<String> args, Path logDir)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(classPath());
        command.add(mainClass);
        command.addAll(args);
        Path err = logDir.resolve(name + ".stderr.log");
        Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
        return new Child(name, p, err);
    }

    /** The driver's class path, made absolute: the children run from the same jar or classes. */
    private static String classPath() {
        List<String> parts = new ArrayList<>();
        for (String part : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            parts.add(Path.of(part).toAbsolutePath().toString());
        }
        return String.join(java.io.File.pathSeparator, parts);
    }

    long pid() {
        return process.pid();
    }

    String name() {
        return name;
    }

    void send(String line) throws IOException {
        stdin.write(line + "\n");
        stdin.flush();
    }

    /**
     * The fields of the next message with this tag; other lines are passed on to stderr.
     *
     * @throws IllegalStateException if the process ends or the time runs out first, with the tail of its stderr
     */
    Map<String, String> await(String tag, Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = until - System.nanoTime();
            String line = left > 0 ? stdout.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                throw failure("no " + tag + " within " + timeout.toSeconds() + " s");
            }
            if (line.equals(EOF)) {
                stdout.add(EOF);
                throw failure("ended before " + tag);
            }
            if (Wire.is(line, tag)) {
                return Wire.parse(line);
            }
            System.err.println("[" + name + "] " + line);
        }
    }

    /** Ends stdin and waits for the exit code; -1 if the process had to be killed. */
    int finish(Duration timeout) throws InterruptedException {
        try {
            stdin.close();
        } catch (IOException e) {
            // already gone
        }
        if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return process.exitValue();
        }
        kill();
        return -1;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                finish(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                kill();
                Thread.currentThread().interrupt();
            }
        }
    }

    private void kill() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private IllegalStateException failure(String what) {
        return new IllegalStateException(name + " (pid " + pid() + ") " + what + "; its stderr (" + stderr + ")"
                + " ends with:\n" + tail(stderr, 20));
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
