package dev.falclient.sample;

import dev.falclient.emulator.EndpointScript;
import dev.falclient.emulator.FalEmulator;
import java.util.Arrays;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Emulator mode: the streaming demo's endpoint answers like fal's LLM endpoints, each event carrying the text so far
 * ({@code {"output": …, "partial": true}}), the last one the whole text ({@code "partial": false}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnFalMode(FalMode.EMULATOR)
public class StreamingEmulatorScript {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Bean
    EndpointScript streamingDemoEndpoint(FalEmulator emulator, StreamingProperties properties) {
        return script(emulator, properties);
    }

    /** Scripts the demo's endpoint (again, after a test changed it). */
    static EndpointScript script(FalEmulator emulator, StreamingProperties properties) {
        int partials = properties.emulatorPartials();
        return emulator.endpoint(properties.endpointId())
                .partialInterval(properties.emulatorInterval())
                .partials(partials, (i, input) -> event(textSoFar(story(input), i + 1, partials + 1), true))
                .output(input -> event(story(input), false));
    }

    private static String story(JsonNode input) {
        return "Once upon a time, " + input.path("prompt").asString("something") + " waited by the sea. Every "
                + "evening the light turned, the ships passed, and the story, streamed word by word, reached you.";
    }

    /** The first {@code step}/{@code of} of the words. */
    private static String textSoFar(String text, int step, int of) {
        String[] words = text.split(" ");
        int n = (int) Math.ceil((double) words.length * step / of);
        return String.join(" ", Arrays.copyOf(words, Math.min(n, words.length)));
    }

    private static JsonNode event(String output, boolean partial) {
        return NODES.objectNode().put("output", output).put("partial", partial);
    }
}
