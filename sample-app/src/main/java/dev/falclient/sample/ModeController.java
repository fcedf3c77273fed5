package dev.falclient.sample;

import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /mode}: which fal the sample talks to (the page shows it). */
@RestController
public class ModeController {

    private final FalModeReport report;
    private final SampleProperties properties;

    public ModeController(FalModeReport report, SampleProperties properties) {
        this.report = report;
        this.properties = properties;
    }

    @GetMapping("/mode")
    public Map<String, Object> mode() {
        Map<String, Object> out = new java.util.LinkedHashMap<>(report.describe());
        out.put("endpointId", properties.endpointId());
        return out;
    }
}
