package dev.falclient.sample;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.falclient.Completed;
import dev.falclient.InProgress;
import dev.falclient.Queued;
import dev.falclient.RequestLog;
import dev.falclient.Status;
import java.util.List;

/**
 * The body of {@code GET /generations/{id}}: fal's status of the request, as the sample's JSON.
 *
 * @param requestId     fal's request id
 * @param endpointId    the endpoint id
 * @param kind          {@code queued}, {@code in-progress} or {@code completed}
 * @param status        fal's status: {@code IN_QUEUE}, {@code IN_PROGRESS} or {@code COMPLETED}
 * @param position      queue position while queued (0 = next)
 * @param logs          fal's current log window (fal sends the recent lines, not the whole history)
 * @param inferenceTime seconds, once completed
 * @param failed        whether fal reported an error (completed only)
 * @param error         a generic message naming the request when fal reported an error (fal's own text, which may
 *                      name upstream details, stays in the server's log)
 * @param errorType     fal's error type, e.g. {@code client_cancelled}
 * @param cancelled     whether the sample saw this request cancelled
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GenerationStatus(String requestId, String endpointId, String kind, String status, Integer position,
                               List<GenerationEvent.LogLine> logs, Double inferenceTime, Boolean failed, String error,
                               String errorType, boolean cancelled) {

    static GenerationStatus of(String requestId, String endpointId, Status status, boolean cancelledHere) {
        if (status instanceof Queued q) {
            return new GenerationStatus(requestId, endpointId, "queued", "IN_QUEUE", q.position(), List.of(), null,
                    null, null, null, cancelledHere);
        }
        if (status instanceof InProgress p) {
            return new GenerationStatus(requestId, endpointId, "in-progress", "IN_PROGRESS", null, lines(p.logs()),
                    null, null, null, null, cancelledHere);
        }
        Completed c = (Completed) status;
        Object seconds = c.metrics().get("inference_time");
        boolean cancelled = cancelledHere || GenerationEventStore.CLIENT_CANCELLED.equals(c.errorType());
        return new GenerationStatus(requestId, endpointId, "completed", "COMPLETED", null, lines(c.logs()),
                seconds instanceof Number n ? n.doubleValue() : null, c.failed(),
                c.error() != null ? GenerationService.GENERIC_FAILURE + requestId : null, c.errorType(),
                cancelled);
    }

    private static List<GenerationEvent.LogLine> lines(List<RequestLog> logs) {
        return logs.stream().map(l -> new GenerationEvent.LogLine(l.message(), l.level(), l.timestamp())).toList();
    }
}
