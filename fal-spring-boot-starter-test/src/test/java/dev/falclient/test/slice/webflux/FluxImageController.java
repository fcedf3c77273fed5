package dev.falclient.test.slice.webflux;

import dev.falclient.AsyncFalClient;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@RestController
class FluxImageController {

    private final AsyncFalClient fal;

    FluxImageController(AsyncFalClient fal) {
        this.fal = fal;
    }

    @GetMapping("/images")
    Mono<Map<String, String>> draw(@RequestParam String prompt) {
        return fal.subscribe("fal-ai/flux/schnell", Map.of("prompt", prompt))
                .map(output -> Map.of("url", output.path("images").get(0).path("url").asString()));
    }
}
