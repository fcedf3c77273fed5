package dev.falclient.emulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Scripted behaviour of one endpoint ({@code [ns/]owner/alias}; sub-paths share the script) in a {@link FalEmulator}.
 * Fluent and thread-safe. Settings apply to requests submitted after the change; unset values fall back to the
 * emulator's defaults.
 *
 * <p>Usage:
 * <pre>{@code
 * emu.endpoint("fal-ai/fast-sdxl")
 *    .workers(1)
 *    .processingTime(Duration.ofSeconds(2))
 *    .logLines(List.of("loading", "step 1/2", "step 2/2"))
 *    .output(input -> JsonNodeFactory.instance.objectNode().put("echo", input.path("prompt").asString()));
 * }</pre>
 */
public final class EndpointScript {

    /**
     * One entry of a validation error's {@code detail} array ({@code {"loc":[...],"msg":...,"type":...}}).
     *
     * <p>Usage: {@code script.validationError(List.of(FieldError.of("prompt", "field required")));}
     *
     * @param loc  location, e.g. {@code ["body", "prompt"]}
     * @param msg  human-readable message
     * @param type machine code, e.g. {@code value_error}
     */
    public record FieldError(List<String> loc, String msg, String type) {
        /** Copies {@code loc}. */
        public FieldError {
            loc = List.copyOf(loc);
            Objects.requireNonNull(msg, "msg");
            Objects.requireNonNull(type, "type");
        }

        /** A {@code value_error} on {@code ["body", field]}. */
        public static FieldError of(String field, String msg) {
            return new FieldError(List.of("body", field), msg, "value_error");
        }
    }

    /** A scripted failure. */
    record Failure(@Nullable String error, @Nullable String errorType, int resultStatus, JsonNode resultBody) {
    }

    /** An immutable copy of the script taken when a request is accepted. */
    record Snapshot(Duration processingTime, Duration queueTime, List<String> logLines,
                    @Nullable Function<JsonNode, JsonNode> output, @Nullable Failure failure,
                    @Nullable JsonNode validationBody, StreamScript stream) {
    }

    private final String endpointId;
    private @Nullable Integer workers;
    private @Nullable Duration processingTime;
    private @Nullable Duration queueTime;
    private @Nullable List<String> logLines;
    private @Nullable Function<JsonNode, JsonNode> output;
    private @Nullable Failure failure;
    private @Nullable JsonNode validationBody;
    private StreamScript stream = StreamScript.DEFAULT;
    private RealtimeScript realtime = RealtimeScript.DEFAULT;

    EndpointScript(String endpointId) {
        this.endpointId = endpointId;
    }

    /** The endpoint this script applies to ({@code [ns/]owner/alias}). */
    public String endpointId() {
        return endpointId;
    }

    /** Number of requests of this endpoint processed at the same time (FIFO queue in front). Must be at least 1. */
    public synchronized EndpointScript workers(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1");
        }
        this.workers = workers;
        return this;
    }

    /** How long a request stays IN_PROGRESS (and how long a direct run takes). */
    public synchronized EndpointScript processingTime(Duration processingTime) {
        this.processingTime = Checks.nonNegative(processingTime);
        return this;
    }

    /** Minimum time a queued request stays IN_QUEUE even when a worker is free (default zero). */
    public synchronized EndpointScript queueTime(Duration queueTime) {
        this.queueTime = Checks.nonNegative(queueTime);
        return this;
    }

    /** Log lines emitted while IN_PROGRESS, spread evenly over the processing time. */
    public synchronized EndpointScript logLines(List<String> lines) {
        this.logLines = List.copyOf(lines);
        return this;
    }

    /** A fixed output for every request (returned as is). Clears any failure or validation script. */
    public EndpointScript output(JsonNode output) {
        JsonNode copy = output.deepCopy();
        return output(in -> copy.deepCopy());
    }

    /**
     * Computes the output from the input. Called on the emulator's timer thread; an exception becomes a
     * {@code runner_server_error} failure. Clears any failure or validation script.
     */
    public synchronized EndpointScript output(Function<JsonNode, JsonNode> output) {
        this.output = Objects.requireNonNull(output, "output");
        this.failure = null;
        this.validationBody = null;
        return this;
    }

    /**
     * Requests complete with {@code error}/{@code error_type} in the COMPLETED status; the result call (and a direct
     * run) answers {@code resultStatus} with {@code resultBody} (default {@code {"detail":error,"error_type":...}})
     * and the header {@code X-Fal-Error-Type}.
     */
    public synchronized EndpointScript failWith(@Nullable String error, @Nullable String errorType, int resultStatus,
                                              @Nullable JsonNode resultBody) {
        if (resultBody == null) {
            ObjectNode body = JsonNodeFactory.instance.objectNode().put("detail", error);
            if (errorType != null) {
                body.put("error_type", errorType);
            }
            resultBody = body;
        }
        this.failure = new Failure(error, errorType, resultStatus, resultBody.deepCopy());
        this.validationBody = null;
        return this;
    }

    /** {@link #failWith(String, String, int, JsonNode)} with the default flat error body. */
    public EndpointScript failWith(@Nullable String error, @Nullable String errorType, int resultStatus) {
        return failWith(error, errorType, resultStatus, null);
    }

    /** The result (and a direct run) answers 422 {@code {"detail":[{loc,msg,type}, ...]}}. */
    public EndpointScript validationError(List<FieldError> errors) {
        ArrayNode detail = JsonNodeFactory.instance.arrayNode();
        for (FieldError e : errors) {
            ObjectNode item = detail.addObject();
            ArrayNode loc = item.putArray("loc");
            e.loc().forEach(loc::add);
            item.put("msg", e.msg()).put("type", e.type());
        }
        return validationError(detail);
    }

    /** The result (and a direct run) answers 422 {@code {"detail": detail}}; {@code detail} may be an array or a string. */
    public synchronized EndpointScript validationError(JsonNode detail) {
        this.validationBody = JsonNodeFactory.instance.objectNode().set("detail", detail.deepCopy());
        this.failure = null;
        return this;
    }

    /**
     * The partial events of a streaming run ({@code POST {run}/{endpointId}/stream}): {@code count} events, the
     * {@code i}-th (from 0) computed from {@code i} and the input, then the output as the last event. Called on the
     * emulator's timer thread. Default: one {@code {"partial":true,"progress":…,"message":<log line>}} per log line.
     *
     * <p>Usage: {@code script.partials(3, (i, in) -> nodes.objectNode().put("text", "token " + i));}
     */
    public synchronized EndpointScript partials(int count, BiFunction<Integer, JsonNode, JsonNode> partial) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0");
        }
        this.stream = stream.withPartials(count, Objects.requireNonNull(partial, "partial"));
        return this;
    }

    /** Fixed partial events of a streaming run, sent as they are, in order, before the output. */
    public EndpointScript partials(List<JsonNode> events) {
        List<JsonNode> copies = events.stream().map(JsonNode::deepCopy).toList();
        return partials(copies.size(), (i, in) -> copies.get(i).deepCopy());
    }

    /** Delay before each event of a streaming run (default: the processing time spread over all events). */
    public synchronized EndpointScript partialInterval(Duration interval) {
        this.stream = stream.withInterval(Checks.nonNegative(interval));
        return this;
    }

    /**
     * A streaming run fails in the middle: after {@code afterPartials} partial events it sends one more event whose
     * data is fal's error body {@code {"detail": detail, "error_type": errorType}} (no {@code error_type} when
     * {@code null}) and closes the stream, the HTTP answer having been 200.
     */
    public synchronized EndpointScript streamFailure(int afterPartials, String detail, String errorType) {
        if (afterPartials < 0) {
            throw new IllegalArgumentException("afterPartials must be >= 0");
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode()
                .put("detail", Objects.requireNonNull(detail, "detail"));
        if (errorType != null) {
            body.put("error_type", errorType);
        }
        this.stream = stream.withFailure(afterPartials, body);
        return this;
    }

    /**
     * The output a realtime session ({@code {run}/{endpointId}/realtime}) sends for an input, computed on the emulator's
     * timer thread; {@code null} sends nothing for that input, and a throwing function fails the session as a
     * crashing app does ({@code INTERNAL_ERROR}, then close 1011). Default: the image-like default output of a run,
     * with the input's {@code request_id}.
     *
     * <p>Usage: {@code script.realtimeOutput(in -> nodes.objectNode().put("echo", in.path("prompt").asString()));}
     */
    public synchronized EndpointScript realtimeOutput(Function<JsonNode, JsonNode> output) {
        this.realtime = realtime.withOutput(Objects.requireNonNull(output, "output"));
        return this;
    }

    /** How long a realtime session takes for each output (default 50 ms). */
    public synchronized EndpointScript realtimeProcessingTime(Duration processingTime) {
        this.realtime = realtime.withProcessingTime(Checks.nonNegative(processingTime));
        return this;
    }

    /** Outputs a realtime session sends for each input, each after the processing time (default 1: a unary app). */
    public synchronized EndpointScript realtimeOutputsPerInput(int outputs) {
        this.realtime = realtime.withOutputsPerInput(Checks.atLeastOne(outputs, "outputs"));
        return this;
    }

    /**
     * A realtime session that receives no input for this long sends {@code {"type":"x-fal-error","error":"TIMEOUT",
     * "reason":"no inputs, reconnect when needed!"}} and closes with 1000 (default: the emulator's, 60 s).
     */
    public synchronized EndpointScript realtimeIdleTimeout(Duration idleTimeout) {
        this.realtime = realtime.withIdleTimeout(Checks.positive(idleTimeout, "idleTimeout"));
        return this;
    }

    /**
     * The next realtime session fails as a crashing app does: it answers its first {@code afterInputs} inputs, and
     * when it takes up the next one it sends {@code {"type":"x-fal-error","error":"INTERNAL_ERROR","reason":reason}}
     * and closes with 1011. Fires in one session; sessions after it are healthy again.
     */
    public EndpointScript realtimeFailure(int afterInputs, String reason) {
        return realtimeFailure(afterInputs, reason, 1);
    }

    /** {@link #realtimeFailure(int, String)} in each of the next {@code sessions} sessions that get that far. */
    public synchronized EndpointScript realtimeFailure(int afterInputs, String reason, int sessions) {
        this.realtime = realtime.withFailure(new RealtimeScript.Trigger(afterInputs,
                Objects.requireNonNull(reason, "reason"), sessions));
        return this;
    }

    /**
     * The next realtime session loses its connection: it answers its first {@code afterInputs} inputs, and when it
     * takes up the next one the emulator closes the TCP connection without a close frame (the client sees an abnormal
     * close, 1006). Fires in one session, so that a reconnecting client finds a healthy app.
     */
    public EndpointScript realtimeDrop(int afterInputs) {
        return realtimeDrop(afterInputs, 1);
    }

    /** {@link #realtimeDrop(int)} in each of the next {@code sessions} sessions that get that far. */
    public synchronized EndpointScript realtimeDrop(int afterInputs, int sessions) {
        this.realtime = realtime.withDrop(new RealtimeScript.Trigger(afterInputs, "dropped", sessions));
        return this;
    }

    /** Removes every scripted setting of this endpoint (back to the emulator defaults). */
    public synchronized EndpointScript reset() {
        workers = null;
        processingTime = null;
        queueTime = null;
        logLines = null;
        output = null;
        failure = null;
        validationBody = null;
        stream = StreamScript.DEFAULT;
        realtime = RealtimeScript.DEFAULT;
        return this;
    }

    synchronized RealtimeScript realtime() {
        return realtime;
    }

    synchronized int workersOr(int fallback) {
        return workers == null ? fallback : workers;
    }

    synchronized Snapshot snapshot(Duration defaultProcessing, Duration defaultQueueTime, List<String> defaultLines) {
        return new Snapshot(processingTime == null ? defaultProcessing : processingTime,
                queueTime == null ? defaultQueueTime : queueTime,
                logLines == null ? defaultLines : new ArrayList<>(logLines),
                output, failure, validationBody, stream);
    }
}
