package dev.falclient.sample;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * One status transition of a generation, as sent on {@code GET /generations/{id}/events} (the SSE event name is
 * {@link #type()}, the SSE id is {@link #id()}, the data is this record as JSON). Absent fields are omitted.
 *
 * @param id            sequence number within the request, from 1
 * @param type          {@code submitted}, {@code queued}, {@code in-progress}, {@code log}, {@code completed},
 *                      {@code result}, {@code failed} or {@code cancelled}
 * @param requestId     fal's request id
 * @param endpointId    the endpoint id
 * @param timestamp     when the sample saw the transition
 * @param position      queue position ({@code queued})
 * @param logs          new log lines ({@code log})
 * @param inferenceTime seconds, from fal's metrics ({@code completed})
 * @param imageUrl      URL of the first image ({@code result})
 * @param result        the whole output ({@code result})
 * @param error         error message ({@code failed}, or a failed {@code completed})
 * @param errorType     fal's error type, when known
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GenerationEvent(long id, String type, String requestId, String endpointId, Instant timestamp,
                              Integer position, List<LogLine> logs, Double inferenceTime, String imageUrl,
                              JsonNode result, String error, String errorType) {

    public static final String SUBMITTED = "submitted";
    public static final String QUEUED = "queued";
    public static final String IN_PROGRESS = "in-progress";
    public static final String LOG = "log";
    public static final String COMPLETED = "completed";
    public static final String RESULT = "result";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";

    /** Whether this event ends the stream: a result, a failure or a cancellation. */
    public boolean terminal() {
        return RESULT.equals(type) || FAILED.equals(type) || CANCELLED.equals(type);
    }

    /** One log line of a running generation. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record LogLine(String message, String level, String timestamp) {
    }

    /** An event without a sequence number yet (assigned when it is recorded). */
    static GenerationEvent of(String type, String requestId, String endpointId) {
        return new GenerationEvent(0, type, requestId, endpointId, Instant.now(), null, null, null, null, null, null,
                null);
    }

    GenerationEvent withId(long seq) {
        return new GenerationEvent(seq, type, requestId, endpointId, timestamp, position, logs, inferenceTime,
                imageUrl, result, error, errorType);
    }

    GenerationEvent withPosition(int queuePosition) {
        return new GenerationEvent(id, type, requestId, endpointId, timestamp, queuePosition, logs, inferenceTime,
                imageUrl, result, error, errorType);
    }

    GenerationEvent withLogs(List<LogLine> lines) {
        return new GenerationEvent(id, type, requestId, endpointId, timestamp, position, lines, inferenceTime,
                imageUrl, result, error, errorType);
    }

    GenerationEvent withInferenceTime(Double seconds) {
        return new GenerationEvent(id, type, requestId, endpointId, timestamp, position, logs, seconds,
                imageUrl, result, error, errorType);
    }

    GenerationEvent withResult(JsonNode output, String firstImageUrl) {
        return new GenerationEvent(id, type, requestId, endpointId, timestamp, position, logs, inferenceTime,
                firstImageUrl, output, error, errorType);
    }

    GenerationEvent withError(String message, String type) {
        return new GenerationEvent(id, this.type, requestId, endpointId, timestamp, position, logs, inferenceTime,
                imageUrl, result, message, type);
    }
}
