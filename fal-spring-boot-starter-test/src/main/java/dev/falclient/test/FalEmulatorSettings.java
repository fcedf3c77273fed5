package dev.falclient.test;

import dev.falclient.emulator.FalEmulator;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.convert.DurationStyle;

/**
 * The validated attributes of one {@link AutoConfigureFalEmulator}. A record, so that equal attributes give equal
 * context customizers and therefore one shared, cached application context.
 */
record FalEmulatorSettings(String key, boolean requireKey, int workers, Duration processingTime, Duration queueTime,
                           int logLines, String pathPrefix, boolean deliverWebhooks, boolean resetAfterEachTest) {

    static FalEmulatorSettings of(AutoConfigureFalEmulator annotation) {
        String key = annotation.key() == null ? "" : annotation.key().trim();
        if (key.isEmpty()) {
            throw invalid("key", annotation.key(), "must not be blank");
        }
        if (annotation.workers() < 1) {
            throw invalid("workers", String.valueOf(annotation.workers()), "must be at least 1");
        }
        if (annotation.logLines() < 0) {
            throw invalid("logLines", String.valueOf(annotation.logLines()), "must not be negative");
        }
        return new FalEmulatorSettings(key, annotation.requireKey(), annotation.workers(),
                duration("processingTime", annotation.processingTime()),
                duration("queueTime", annotation.queueTime()), annotation.logLines(),
                annotation.pathPrefix() == null ? "" : annotation.pathPrefix().trim(), annotation.deliverWebhooks(),
                annotation.resetAfterEachTest());
    }

    /** Starts an emulator with these settings on a random port of 127.0.0.1. */
    FalEmulator start() {
        FalEmulator.Builder builder = FalEmulator.builder()
                .port(0)
                .workers(workers)
                .processingTime(processingTime)
                .queueTime(queueTime)
                .logLines(logLines)
                .pathPrefix(pathPrefix)
                .deliverWebhooks(deliverWebhooks);
        if (requireKey) {
            builder.requiredKey(key);
        }
        return builder.start();
    }

    private static Duration duration(String attribute, String value) {
        Duration duration;
        try {
            duration = DurationStyle.detectAndParse(value == null ? "" : value.trim());
        } catch (IllegalArgumentException e) {
            throw invalid(attribute, value, "is not a duration such as \"100ms\", \"2s\" or \"PT0.1S\"", e);
        }
        if (duration.isNegative()) {
            throw invalid(attribute, value, "must not be negative");
        }
        return duration;
    }

    private static IllegalArgumentException invalid(String attribute, String value, String problem) {
        return invalid(attribute, value, problem, null);
    }

    private static IllegalArgumentException invalid(String attribute, String value, String problem, @Nullable Throwable cause) {
        return new IllegalArgumentException("@AutoConfigureFalEmulator(" + attribute + " = \"" + value + "\") "
                + problem, cause);
    }
}
