package dev.falclient.emulator;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a {@link FalEmulator} as a stand-alone process until killed.
 *
 * <p>Usage: {@code java -cp fal-emulator.jar:$(cat cp.txt) dev.falclient.emulator.FalEmulatorMain --port 8765
 * --key secret --processing-time 2s --workers 2}
 */
public final class FalEmulatorMain {

    private FalEmulatorMain() {
    }

    /** Starts the emulator (see {@link #launch(String...)}), prints its URLs and blocks until the JVM stops. */
    public static void main(String[] args) throws InterruptedException {
        FalEmulator emu;
        try {
            emu = launch(args);
        } catch (IllegalArgumentException e) {
            System.err.println("fal emulator: " + e.getMessage());
            System.err.println("usage: FalEmulatorMain [--port N] [--host H] [--key K] [--processing-time 2s]"
                    + " [--workers N] [--prefix /p] [--webhooks true]");
            System.exit(2);
            return;
        }
        System.out.println("fal emulator running");
        System.out.println("  queue: " + emu.queueUrl());
        System.out.println("  run:   " + emu.runUrl());
        System.out.println("  rest:  " + emu.restUrl());
        System.out.println("  cdn:   " + emu.cdnUrl());
        System.out.println("  proxy: " + emu.proxyUrl());
        System.out.println("  jwks:  " + emu.jwksUrl());
        System.out.flush();
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emu.close();
            stop.countDown();
        }, "fal-emulator-shutdown"));
        stop.await();
    }

    /**
     * Parses the options and starts an emulator: {@code --port N} (default 8765; 0 = random), {@code --host H},
     * {@code --key K}, {@code --processing-time D} ({@code 500ms}, {@code 2s}, {@code 1m} or ISO-8601),
     * {@code --workers N}, {@code --prefix /p}, {@code --webhooks true} (deliver signed webhooks).
     *
     * @throws IllegalArgumentException on a bad option
     */
    public static FalEmulator launch(String... args) {
        FalEmulator.Builder b = FalEmulator.builder().port(8765);
        for (int i = 0; i < args.length; i++) {
            String opt = args[i];
            String value;
            int eq = opt.indexOf('=');
            if (eq > 0) {
                value = opt.substring(eq + 1);
                opt = opt.substring(0, eq);
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value for " + opt);
                }
                value = args[++i];
            }
            switch (opt) {
                case "--port" -> b.port(Integer.parseInt(value));
                case "--host" -> b.host(value);
                case "--key" -> b.requiredKey(value);
                case "--processing-time" -> b.processingTime(parseDuration(value));
                case "--workers" -> b.workers(Integer.parseInt(value));
                case "--prefix" -> b.pathPrefix(value);
                case "--webhooks" -> b.deliverWebhooks(Boolean.parseBoolean(value));
                default -> throw new IllegalArgumentException("unknown option " + opt);
            }
        }
        return b.start();
    }

    static Duration parseDuration(String s) {
        String v = s.trim().toLowerCase();
        try {
            if (v.startsWith("p")) {
                return Duration.parse(v.toUpperCase());
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
            }
            if (v.endsWith("m")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)) * 60);
            }
            return Duration.ofMillis(Long.parseLong(v));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("bad duration: " + s);
        }
    }
}
