package dev.falclient.test.slice.webmvc;

import dev.falclient.FalClient;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
class MvcImageController {

    private final FalClient fal;

    MvcImageController(FalClient fal) {
        this.fal = fal;
    }

    @GetMapping("/images")
    Map<String, String> draw(@RequestParam String prompt) {
        JsonNode output = fal.subscribe("fal-ai/flux/schnell", Map.of("prompt", prompt));
        return Map.of("url", output.path("images").get(0).path("url").asString());
    }
}
