package dev.falclient.emulator;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * What an emulator has received since it started: TCP connections accepted and HTTP calls by kind. Counts only grow
 * ({@link FalEmulator#reset()} leaves them alone); the traffic of one phase is the {@link #minus difference} of two
 * snapshots.
 *
 * <pre>{@code
 * Traffic before = emu.traffic();
 * // ... run the client
 * Traffic run = emu.traffic().minus(before);
 * System.out.println(run.connections() + " connections, " + run.calls() + " calls");
 * }</pre>
 *
 * @param connections TCP connections accepted
 * @param callsByKind HTTP calls received, by kind (every kind present, zero when none); rejected calls count too
 */
public record Traffic(long connections, Map<CallKind, Long> callsByKind) {

    public Traffic {
        Map<CallKind, Long> copy = new EnumMap<>(CallKind.class);
        for (CallKind kind : CallKind.values()) {
            copy.put(kind, callsByKind.getOrDefault(kind, 0L));
        }
        callsByKind = Collections.unmodifiableMap(copy);
    }

    /** All HTTP calls received. */
    public long calls() {
        return callsByKind.values().stream().mapToLong(Long::longValue).sum();
    }

    /** HTTP calls of one kind received. */
    public long calls(CallKind kind) {
        return callsByKind.get(kind);
    }

    /** The traffic between {@code earlier} and this snapshot. */
    public Traffic minus(Traffic earlier) {
        Map<CallKind, Long> diff = new EnumMap<>(CallKind.class);
        callsByKind.forEach((kind, n) -> diff.put(kind, n - earlier.calls(kind)));
        return new Traffic(connections - earlier.connections, diff);
    }
}
