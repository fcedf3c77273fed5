package dev.falclient.emulator;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counts accepted connections and received calls since the emulator started; never reset. */
final class TrafficCounter {

    private final LongAdder connections = new LongAdder();
    private final Map<CallKind, LongAdder> calls = new EnumMap<>(CallKind.class);

    TrafficCounter() {
        for (CallKind kind : CallKind.values()) {
            calls.put(kind, new LongAdder());
        }
    }

    void connection() {
        connections.increment();
    }

    void call(CallKind kind) {
        calls.get(kind).increment();
    }

    Traffic snapshot() {
        Map<CallKind, Long> byKind = new EnumMap<>(CallKind.class);
        calls.forEach((kind, n) -> byKind.put(kind, n.sum()));
        return new Traffic(connections.sum(), byKind);
    }
}
