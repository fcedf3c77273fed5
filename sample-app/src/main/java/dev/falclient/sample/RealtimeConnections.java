package dev.falclient.sample;

import java.util.HashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Counts the realtime page's open connections, per browser session and in the whole app, against
 * {@code sample.realtime.max-connections-per-session} and {@code sample.realtime.max-connections}. Only sessions with
 * an open connection have an entry, so the map is bounded by the app-wide limit.
 */
@Component
public class RealtimeConnections {

    /** Whether a new connection may open. */
    enum Admission {
        ADMITTED,
        /** This browser session already has its maximum open. */
        SESSION_FULL,
        /** The app already has its maximum open. */
        APP_FULL
    }

    private final int maxConnections;
    private final int maxPerSession;
    private final Map<String, Integer> bySession = new HashMap<>();
    private int open;

    public RealtimeConnections(SampleProperties properties) {
        this.maxConnections = properties.realtime().maxConnections();
        this.maxPerSession = properties.realtime().maxConnectionsPerSession();
    }

    /** Counts a new connection of {@code session} when the limits allow it; an admitted one must be released. */
    synchronized Admission admit(String session) {
        int mine = bySession.getOrDefault(session, 0);
        if (mine >= maxPerSession) {
            return Admission.SESSION_FULL;
        }
        if (open >= maxConnections) {
            return Admission.APP_FULL;
        }
        bySession.put(session, mine + 1);
        open++;
        return Admission.ADMITTED;
    }

    /** Releases a connection that {@link #admit} admitted. */
    synchronized void release(String session) {
        Integer mine = bySession.get(session);
        if (mine == null) {
            return;
        }
        if (mine <= 1) {
            bySession.remove(session);
        } else {
            bySession.put(session, mine - 1);
        }
        open--;
    }

    /** Connections open now. */
    synchronized int open() {
        return open;
    }
}
