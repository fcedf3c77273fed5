package dev.falclient.emulator;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The record of realtime sessions, oldest first. Bounded like the request recorder: by count (the oldest sessions are
 * forgotten) and by the total size of the recorded inputs (the oldest inputs, of any session, are forgotten).
 */
final class RealtimeSessions {

    /** The live record of one session; changed only through its {@link RealtimeSessions}, under its lock. */
    final class Log {
        private final String id = UUID.randomUUID().toString();
        private final String endpointId;
        private final RealtimeSession.Auth auth;
        private final @Nullable String token;
        private final Map<String, String> query;
        private final Instant openedAt = Instant.now();
        private final ArrayDeque<JsonNode> inputs = new ArrayDeque<>();
        private final List<JsonNode> droppedInputs = new ArrayList<>();
        private long inputsReceived;
        private long outputs;
        private long dropped;
        private int closeStatus;

        private Log(String endpointId, RealtimeSession.Auth auth, @Nullable String token, Map<String, String> query) {
            this.endpointId = endpointId;
            this.auth = auth;
            this.token = token;
            this.query = query;
        }

        private RealtimeSession snapshot() {
            return new RealtimeSession(id, endpointId, auth, token, query, new ArrayList<>(inputs), inputsReceived,
                    outputs, droppedInputs, dropped, closeStatus == 0, closeStatus, openedAt);
        }
    }

    private record Recorded(Log log, JsonNode input, long bytes) {
    }

    private final int maxSessions;
    private final long maxBytes;
    private final ArrayDeque<Log> sessions = new ArrayDeque<>();
    private final ArrayDeque<Recorded> byAge = new ArrayDeque<>();
    private long bytes;

    RealtimeSessions(int maxSessions, long maxBytes) {
        this.maxSessions = maxSessions;
        this.maxBytes = maxBytes;
    }

    synchronized Log open(String endpointId, RealtimeSession.Auth auth, @Nullable String token,
                          Map<String, String> query) {
        Log log = new Log(endpointId, auth, token, query);
        sessions.addLast(log);
        while (sessions.size() > maxSessions) {
            Log gone = sessions.pollFirst();
            byAge.removeIf(r -> {
                boolean mine = r.log() == gone;
                bytes -= mine ? r.bytes() : 0;
                return mine;
            });
        }
        return log;
    }

    /** An input received; {@code size} is its frame's size. The newest input is always kept. */
    synchronized void input(Log log, JsonNode input, long size) {
        log.inputsReceived++;
        log.inputs.addLast(input);
        byAge.addLast(new Recorded(log, input, size));
        bytes += size;
        while (byAge.size() > 1 && bytes > maxBytes) {
            Recorded old = byAge.pollFirst();
            bytes -= old.bytes();
            old.log().inputs.pollFirst(); // the oldest recorded input of all is the oldest of its session
            old.log().droppedInputs.removeIf(d -> d == old.input());
        }
    }

    synchronized void dropped(Log log, JsonNode input) {
        log.dropped++;
        if (log.inputs.stream().anyMatch(i -> i == input)) {
            log.droppedInputs.add(input);
        }
    }

    synchronized void output(Log log) {
        log.outputs++;
    }

    /** The session ended with {@code status}; the first status told wins. */
    synchronized void closed(Log log, int status) {
        if (log.closeStatus == 0) {
            log.closeStatus = status;
        }
    }

    synchronized boolean isClosed(Log log) {
        return log.closeStatus != 0;
    }

    synchronized List<RealtimeSession> all() {
        return sessions.stream().map(Log::snapshot).toList();
    }

    synchronized void clear() {
        sessions.clear();
        byAge.clear();
        bytes = 0;
    }
}
