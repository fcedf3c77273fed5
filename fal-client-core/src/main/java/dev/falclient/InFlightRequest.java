package dev.falclient;

import java.time.Instant;
import java.util.OptionalInt;

/**
 * A read-only snapshot of one queue request the client is watching right now: tracked in the background
 * ({@code track(true)}) or awaited by a caller ({@code subscribe}). Holds no input, output or key.
 *
 * <pre>{@code fal.inFlight().forEach(r -> log.info("{} {} since {}", r.requestId(), r.status(), r.since()));}</pre>
 *
 * @param requestId     fal's request id
 * @param endpointId    the endpoint id
 * @param tracked       {@code true} when tracked in the background, {@code false} when a caller waits for it
 * @param status        the last status seen: {@code SUBMITTED} (none seen yet), {@code IN_QUEUE},
 *                      {@code IN_PROGRESS} or {@code COMPLETED} (its result is being fetched)
 * @param queuePosition the last queue position seen while {@code IN_QUEUE}, else {@code -1}
 * @param since         when the client started watching it
 * @param updatedAt     when its last status was seen (equals {@code since} before the first)
 */
public record InFlightRequest(String requestId, String endpointId, boolean tracked, String status, int queuePosition,
                              Instant since, Instant updatedAt) {

    /** The status before the first one is seen. */
    public static final String SUBMITTED = "SUBMITTED";

    /** The queue position while {@code IN_QUEUE}; empty in any other status. */
    public OptionalInt position() {
        return queuePosition >= 0 ? OptionalInt.of(queuePosition) : OptionalInt.empty();
    }
}
