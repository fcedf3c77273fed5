package dev.falclient;

import java.util.List;

/**
 * A runner is working on the request.
 *
 * <pre>{@code if (status instanceof InProgress p) p.logs().forEach(l -> System.out.println(l.message())); }</pre>
 *
 * @param logs the log lines of this one status response (fal sends a moving window, not the whole history;
 *             empty unless logs were requested)
 */
public record InProgress(List<RequestLog> logs) implements Status {

    public InProgress {
        logs = logs == null ? List.of() : List.copyOf(logs);
    }
}
