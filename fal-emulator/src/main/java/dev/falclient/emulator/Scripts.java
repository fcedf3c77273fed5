package dev.falclient.emulator;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The endpoint scripts of one emulator, keyed by {@code [ns/]owner/alias}, with the emulator-wide defaults. */
final class Scripts {

    private final Map<String, EndpointScript> byBase = new ConcurrentHashMap<>();
    private final int defaultWorkers;
    private final Duration defaultProcessingTime;
    private final Duration defaultQueueTime;
    private final List<String> defaultLogLines;

    Scripts(EmulatorConfig config) {
        this.defaultWorkers = config.workers();
        this.defaultProcessingTime = config.processingTime();
        this.defaultQueueTime = config.queueTime();
        this.defaultLogLines = config.defaultLogLines();
    }

    /** The script of an endpoint, created on first use; sub-paths share it. */
    EndpointScript endpoint(String endpointId) {
        EndpointId id = EndpointId.parse(stripSlashes(endpointId));
        if (id == null) {
            throw new IllegalArgumentException("Invalid endpoint id: " + endpointId);
        }
        return byBase.computeIfAbsent(id.base(), EndpointScript::new);
    }

    /** What a request accepted now will run with. */
    EndpointScript.Snapshot snapshot(String base) {
        EndpointScript s = byBase.get(base);
        return s == null
                ? new EndpointScript.Snapshot(defaultProcessingTime, defaultQueueTime, defaultLogLines, null, null,
                        null, StreamScript.DEFAULT)
                : s.snapshot(defaultProcessingTime, defaultQueueTime, defaultLogLines);
    }

    /** What a realtime session starting now runs with. */
    RealtimeScript realtime(String base, Duration defaultIdleTimeout) {
        EndpointScript s = byBase.get(base);
        return (s == null ? RealtimeScript.DEFAULT : s.realtime()).resolved(defaultIdleTimeout);
    }

    /** Read live (not snapshotted) so that a test can widen a queue that already holds requests. */
    int workers(String base) {
        EndpointScript s = byBase.get(base);
        return s == null ? defaultWorkers : s.workersOr(defaultWorkers);
    }

    /** Resets every script; the objects stay attached, so references held by tests keep working. */
    void reset() {
        byBase.values().forEach(EndpointScript::reset);
    }

    private static String stripSlashes(String id) {
        String s = id == null ? "" : id.trim();
        while (s.startsWith("/")) {
            s = s.substring(1);
        }
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }
}
