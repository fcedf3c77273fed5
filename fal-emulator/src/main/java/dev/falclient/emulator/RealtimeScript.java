package dev.falclient.emulator;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What a realtime session of one endpoint does, as scripted by the {@code realtime*} methods of {@link EndpointScript};
 * {@code null} parts fall back to the defaults (the image-like default output, {@link #DEFAULT_PROCESSING_TIME}, one
 * output per input, the emulator's idle timeout, no failure, no drop).
 *
 * @param output          the output for an input ({@code null} result: no output), or {@code null} for the default
 * @param processingTime  delay before each output, or {@code null}
 * @param outputsPerInput outputs sent for each input
 * @param idleTimeout     how long a session may go without an input, or {@code null}
 * @param failure         when a session fails with {@code INTERNAL_ERROR}, or {@code null}
 * @param drop            when a session's connection is dropped, or {@code null}
 */
record RealtimeScript(@Nullable Function<JsonNode, JsonNode> output, @Nullable Duration processingTime,
                      int outputsPerInput, @Nullable Duration idleTimeout, @Nullable Trigger failure,
                      @Nullable Trigger drop) {

    /** How long an input takes when the script does not say: a fast realtime app. */
    static final Duration DEFAULT_PROCESSING_TIME = Duration.ofMillis(50);

    static final RealtimeScript DEFAULT = new RealtimeScript(null, null, 1, null, null, null);

    /**
     * Fires when a session takes up input number {@code afterInputs + 1}, in at most {@code sessions} sessions (shared
     * by every session that started with this script, so that a client which reconnects finds a healthy app).
     */
    static final class Trigger {
        final int afterInputs;
        final String reason;
        private final AtomicInteger sessions;

        Trigger(int afterInputs, String reason, int sessions) {
            if (afterInputs < 0) {
                throw new IllegalArgumentException("afterInputs must be >= 0");
            }
            if (sessions < 1) {
                throw new IllegalArgumentException("sessions must be >= 1");
            }
            this.afterInputs = afterInputs;
            this.reason = reason;
            this.sessions = new AtomicInteger(sessions);
        }

        /** Whether it fires for the {@code n}-th input (from 1) of a session; uses up one session when it does. */
        boolean fires(int n) {
            return n == afterInputs + 1 && sessions.getAndUpdate(s -> Math.max(0, s - 1)) > 0;
        }
    }

    RealtimeScript withOutput(Function<JsonNode, JsonNode> f) {
        return new RealtimeScript(f, processingTime, outputsPerInput, idleTimeout, failure, drop);
    }

    RealtimeScript withProcessingTime(Duration d) {
        return new RealtimeScript(output, d, outputsPerInput, idleTimeout, failure, drop);
    }

    RealtimeScript withOutputsPerInput(int n) {
        return new RealtimeScript(output, processingTime, n, idleTimeout, failure, drop);
    }

    RealtimeScript withIdleTimeout(Duration d) {
        return new RealtimeScript(output, processingTime, outputsPerInput, d, failure, drop);
    }

    RealtimeScript withFailure(Trigger t) {
        return new RealtimeScript(output, processingTime, outputsPerInput, idleTimeout, t, drop);
    }

    RealtimeScript withDrop(Trigger t) {
        return new RealtimeScript(output, processingTime, outputsPerInput, idleTimeout, failure, t);
    }

    /** This script with the defaults filled in. */
    RealtimeScript resolved(Duration defaultIdleTimeout) {
        return new RealtimeScript(output, processingTime == null ? DEFAULT_PROCESSING_TIME : processingTime,
                outputsPerInput, idleTimeout == null ? defaultIdleTimeout : idleTimeout, failure, drop);
    }
}
