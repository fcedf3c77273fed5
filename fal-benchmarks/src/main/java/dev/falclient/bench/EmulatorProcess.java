package dev.falclient.bench;

import dev.falclient.emulator.CallKind;
import dev.falclient.emulator.FalEmulator;
import dev.falclient.emulator.Traffic;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The emulator as its own process for {@link SideBySide}: one endpoint whose jobs stay {@code --queue-ms} in the queue
 * and {@code --progress-ms} in progress, with a worker per job in flight so that no job waits for another. Its
 * output carries {@code completed_at_us}, the wall-clock microsecond the emulator completed the job, so that a client
 * can tell how long the result took to reach it.
 *
 * <p>Protocol: prints {@code LISTENING base=<url> proxy=<url>}; answers each {@code TRAFFIC} line on stdin with
 * {@code TRAFFIC connections=N calls=N SUBMIT=N ...} (counts since start); stops at {@code EXIT} or the end of stdin,
 * so it never outlives the driver.
 */
public final class EmulatorProcess {

    /** The endpoint every benchmark job is submitted to. */
    static final String ENDPOINT = "fal-ai/fast-sdxl";
    /** The output field with the emulator's completion time. */
    static final String COMPLETED_AT = "completed_at_us";

    private EmulatorProcess() {
    }

    public static void main(String[] argv) throws IOException {
        Args args = new Args(argv, Set.of("queue-ms", "progress-ms", "workers", "key", "log-lines"));
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        FalEmulator emu = FalEmulator.builder()
                .requiredKey(args.string("key", "bench-key"))
                .workers(args.integer("workers", 200, 1))
                .queueTime(Duration.ofMillis(args.integer("queue-ms", 200, 0)))
                .processingTime(Duration.ofMillis(args.integer("progress-ms", 300, 0)))
                .logLines(args.integer("log-lines", 0, 0))
                // the benchmark reads the traffic counters; recording every call would only cost memory
                .maxRecordedRequests(1)
                .maxRetainedRequests(100_000)
                .start();
        // an image model's answer, plus the completion time
        emu.endpoint(ENDPOINT).output(in -> {
            ObjectNode out = nodes.objectNode();
            long seed = in.path("seed").asLong(0);
            out.putArray("images").addObject().put("url", "https://v3.fal.media/files/bench/" + seed + ".png")
                    .put("width", 1024).put("height", 1024).put("content_type", "image/jpeg");
            out.put("seed", seed);
            out.put("prompt", in.path("prompt").asString(""));
            out.putArray("has_nsfw_concepts").add(false);
            out.put(COMPLETED_AT, epochMicros(Instant.now()));
            return out;
        });
        Runtime.getRuntime().addShutdownHook(new Thread(emu::close, "emulator-shutdown"));
        System.out.println(Wire.format("LISTENING", Map.of("base", emu.baseUrl(), "proxy", emu.proxyUrl())));
        System.out.flush();

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null && !line.trim().equals("EXIT"); line = in.readLine()) {
            if (line.trim().equals("TRAFFIC")) {
                System.out.println(Wire.format("TRAFFIC", fields(emu.traffic())));
                System.out.flush();
            }
        }
        emu.close();
        System.exit(0);
    }

    static long epochMicros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
    }

    private static Map<String, Object> fields(Traffic t) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("connections", t.connections());
        f.put("calls", t.calls());
        for (CallKind kind : CallKind.values()) {
            f.put(kind.name(), t.calls(kind));
        }
        return f;
    }

    /** A {@code TRAFFIC} message read back. */
    static Traffic traffic(Map<String, String> fields) {
        Map<CallKind, Long> byKind = new LinkedHashMap<>();
        for (CallKind kind : CallKind.values()) {
            byKind.put(kind, Wire.number(fields, kind.name()));
        }
        return new Traffic(Wire.number(fields, "connections"), byKind);
    }
}
