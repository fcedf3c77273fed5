package dev.falclient.emulator;

import java.time.Duration;

/**
 * A fault injected into the next N calls of one {@link CallKind}. Created (and armed, with {@code times(1)}) by
 * {@link FalEmulator#fault(CallKind)}; configure it fluently right away. Thread-safe.
 *
 * <p>Usage: {@code emu.fault(CallKind.STATUS).times(2).httpStatus(429).retryAfter(Duration.ofSeconds(1));}
 *
 * <p>Faults that answer instead of fal ({@link #httpStatus}, {@link #ingressStyle}, {@link #dropConnection}) stop the
 * call before it reaches the emulated queue: a faulted submit enqueues nothing, a faulted cancel cancels nothing.
 * {@link #delay}, {@link #malformedJson} and {@link #closeStreamEarly} let the operation happen.
 */
public final class Fault {

    /** What the fault does, after the optional delay. */
    sealed interface Action permits Status, Ingress, Drop, Malformed, CloseEarly {
    }

    record Status(int status, Duration retryAfter, String errorType, String contentType, String body) implements Action {
    }

    record Ingress(int status) implements Action {
    }

    record Drop() implements Action {
    }

    record Malformed() implements Action {
    }

    record CloseEarly() implements Action {
    }

    /** What one consumed fault does. */
    record Plan(Duration delay, Action action) {
    }

    private final CallKind kind;
    private int remaining = 1;
    private Duration delay = Duration.ZERO;
    private Integer status;
    private Duration retryAfter;
    private String errorType;
    private String contentType;
    private String body;
    private Action special;

    Fault(CallKind kind) {
        this.kind = kind;
    }

    /** The call kind this fault applies to. */
    public CallKind kind() {
        return kind;
    }

    /** Calls still to be faulted. */
    public synchronized int remaining() {
        return remaining;
    }

    /** Applies the fault to the next {@code n} calls of the kind (default 1). */
    public synchronized Fault times(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("times must be >= 0");
        }
        remaining = n;
        return this;
    }

    /** Answers this HTTP status (body {@code {"detail": reason}} unless {@link #body} is set). */
    public synchronized Fault httpStatus(int status) {
        this.status = status;
        this.special = null;
        return this;
    }

    /** Adds a {@code Retry-After} header (whole seconds, rounded up) to an {@link #httpStatus} fault. */
    public synchronized Fault retryAfter(Duration retryAfter) {
        this.retryAfter = retryAfter;
        return this;
    }

    /** Adds {@code error_type} to the JSON body and the {@code X-Fal-Error-Type} header of an {@link #httpStatus} fault. */
    public synchronized Fault errorType(String errorType) {
        this.errorType = errorType;
        return this;
    }

    /** Uses this body (and content type) for an {@link #httpStatus} fault. */
    public synchronized Fault body(String contentType, String body) {
        this.contentType = contentType;
        this.body = body;
        return this;
    }

    /**
     * Answers like an ingress proxy: an nginx-style HTML page, {@code text/html}, and no {@code x-fal-request-id}
     * header. The status is the one set with {@link #httpStatus} or 502.
     */
    public synchronized Fault ingressStyle() {
        this.special = new Ingress(0);
        return this;
    }

    /**
     * Answers as fal's CDN does to an expired token: 401 {@code {"detail": "Token expired"}}. Aim it at a storage call
     * ({@link CallKind#UPLOAD}, {@link CallKind#UPLOAD_PART}, ...); a client then fetches a new token and repeats it.
     */
    public synchronized Fault expiredToken() {
        return httpStatus(401).body(Replies.JSON, "{\"detail\":\"Token expired\"}");
    }

    /** Waits this long before answering (alone: then answers normally). Never blocks an event-loop thread. */
    public synchronized Fault delay(Duration delay) {
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("delay must be >= 0");
        }
        this.delay = delay;
        return this;
    }

    /** Closes the connection without any response. */
    public synchronized Fault dropConnection() {
        this.special = new Drop();
        return this;
    }

    /** Answers 200 {@code application/json} with the normal body cut in half (invalid JSON). */
    public synchronized Fault malformedJson() {
        this.special = new Malformed();
        return this;
    }

    /** For {@link CallKind#STATUS_STREAM} and {@link CallKind#STREAM}: sends the first event, then closes the stream. */
    public synchronized Fault closeStreamEarly() {
        this.special = new CloseEarly();
        return this;
    }

    /** Consumes one use; {@code null} when exhausted. */
    synchronized Plan tryConsume() {
        if (remaining <= 0) {
            return null;
        }
        remaining--;
        Action action;
        if (special instanceof Ingress) {
            action = new Ingress(status == null ? 502 : status);
        } else if (special != null) {
            action = special;
        } else if (status != null) {
            action = new Status(status, retryAfter, errorType, contentType, body);
        } else if (delay.isZero()) {
            action = new Status(500, retryAfter, errorType == null ? "internal_error" : errorType, contentType, body);
        } else {
            action = null;
        }
        return new Plan(delay, action);
    }

    @Override
    public synchronized String toString() {
        return "Fault[" + kind + ", remaining=" + remaining + "]";
    }
}
