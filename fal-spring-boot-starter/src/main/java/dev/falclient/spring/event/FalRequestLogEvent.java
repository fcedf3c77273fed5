package dev.falclient.spring.event;

import dev.falclient.FalRequest;
import dev.falclient.RequestLog;
import java.util.List;

/**
 * Log lines of a running request that were not published before (fal sends a moving window; the client
 * de-duplicates it). Only published when logs were asked for (subscribe with logs, or background tracking with
 * {@code fal.events.track-with-logs=true}).
 *
 * <pre>{@code
 * @EventListener
 * void on(FalRequestLogEvent e) { e.getLogs().forEach(line -> log.info("[{}] {}", e.getRequestId(), line.message())); }
 * }</pre>
 */
public class FalRequestLogEvent extends FalRequestEvent {

    private static final long serialVersionUID = 1L;

    private final transient List<RequestLog> logs;

    /** New log lines of {@code request}. */
    public FalRequestLogEvent(FalRequest request, List<RequestLog> logs) {
        super(request);
        this.logs = List.copyOf(logs);
    }

    /** The lines not published before, oldest first. */
    public List<RequestLog> getLogs() {
        return logs;
    }

    @Override
    String details() {
        return ", lines=" + logs.size();
    }
}
