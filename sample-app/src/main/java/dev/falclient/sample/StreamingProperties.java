package dev.falclient.sample;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The streaming demo's settings ({@code sample.streaming.*}).
 *
 * @param endpointId      the fal endpoint that {@code GET /streams} streams from (it must have a {@code /stream} path)
 * @param emulatorPartials partial events the emulated endpoint sends before its final output (emulator mode)
 * @param emulatorInterval delay before each event of the emulated endpoint (emulator mode)
 */
@ConfigurationProperties("sample.streaming")
public record StreamingProperties(
        @DefaultValue("fal-ai/any-llm") String endpointId,
        @DefaultValue("12") int emulatorPartials,
        @DefaultValue("250ms") Duration emulatorInterval) {

    public StreamingProperties {
        if (endpointId == null || endpointId.isBlank()) {
            throw new IllegalArgumentException("sample.streaming.endpoint-id must not be blank");
        }
        if (emulatorPartials < 0) {
            throw new IllegalArgumentException("sample.streaming.emulator-partials must be >= 0");
        }
    }
}
