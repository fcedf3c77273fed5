package dev.falclient.sample;

import dev.falclient.emulator.FalEmulator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Tells which fal the sample talks to: logged once at startup ({@code fal mode: EMULATOR (...)}), served by
 * {@code GET /mode} and added to {@code /actuator/info}.
 */
@Component
public class FalModeReport implements InfoContributor {

    private static final Logger log = LoggerFactory.getLogger(FalModeReport.class);
    private static final String DEFAULT_QUEUE_URL = "https://queue.fal.run";

    private final FalModeResolution resolution;
    private final String queueUrl;
    private final String summary;

    public FalModeReport(Environment environment, ObjectProvider<FalEmulator> emulator) {
        this.resolution = FalModeResolution.resolve(environment);
        FalEmulator emu = resolution.emulator() ? emulator.getIfAvailable() : null;
        if (emu != null) {
            this.queueUrl = emu.queueUrl();
            this.summary = "EMULATOR (offline, in-process fal emulator at " + emu.baseUrl() + "; "
                    + (resolution.keySource() == null
                    ? "set FAL_KEY to use real fal)"
                    : "forced by " + FalModeResolution.PROPERTY + "; the configured key is not used)");
        } else {
            this.queueUrl = environment.getProperty("fal.queue-url", DEFAULT_QUEUE_URL);
            this.summary = "LIVE (" + queueUrl + ", "
                    + (resolution.keySource() == null
                    ? "NO KEY configured: calls fail until FAL_KEY or fal.key is set)"
                    : "key from " + resolution.keySource() + ")");
        }
        if (resolution.keySource() == null && !resolution.emulator()) {
            log.warn("fal mode: {}", summary);
        } else {
            log.info("fal mode: {}", summary);
        }
    }

    /** The resolved mode. */
    public FalModeResolution resolution() {
        return resolution;
    }

    /** The one-line description that is logged, e.g. {@code EMULATOR (offline, ...)}. */
    public String summary() {
        return summary;
    }

    /** What {@code GET /mode} and {@code /actuator/info} show. */
    public Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mode", resolution.effectiveName());
        out.put("configured", resolution.configured().name().toLowerCase(java.util.Locale.ROOT));
        out.put("reason", resolution.reason());
        out.put("queueUrl", queueUrl);
        out.put("keySource", resolution.emulator() ? "emulator" : resolution.keySource());
        out.put("summary", summary);
        return out;
    }

    @Override
    public void contribute(Info.Builder builder) {
        builder.withDetail("fal", describe());
    }
}
