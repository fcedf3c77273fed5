package dev.falclient.spring.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.falclient.AsyncFalClient;
import dev.falclient.FalClient;
import dev.falclient.spring.EmulatorTestBase;
import dev.falclient.FalRequest;
import dev.falclient.spring.EventCollector;
import dev.falclient.spring.autoconfigure.FalAutoConfiguration;
import dev.falclient.spring.autoconfigure.FalClientBuilderCustomizer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/** A result event maps its output with the client's JSON mapper, exactly as {@code subscribe(..., type)} does. */
class FalResultEventMapperTests extends EmulatorTestBase {

    /** A mapper that differs from the plain default: snake_case output fields onto camelCase components. */
    private static final JsonMapper SNAKE = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    record Output(List<Image> images, List<Boolean> hasNsfwConcepts) {
        record Image(String url, String contentType) {
        }
    }

    @Test
    void resultEventMapsWithTheClientsMapper() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(FalAutoConfiguration.class))
                .withBean(FalClientBuilderCustomizer.class, () -> builder -> builder.jsonMapper(SNAKE))
                .withBean(EventCollector.class)
                .withPropertyValues(emulatorProperties("mapper-test-key"))
                .run(context -> {
                    assertThat(context.getBean(AsyncFalClient.class).jsonMapper()).isSameAs(SNAKE);
                    assertThat(context.getBean(FalClient.class).jsonMapper()).isSameAs(SNAKE);

                    Output direct = context.getBean(FalClient.class)
                            .subscribe("fal-ai/fast-sdxl", Map.of("prompt", "mapped"), Output.class);

                    EventCollector events = context.getBean(EventCollector.class);
                    events.awaitEvent(FalRequestResultEvent.class::isInstance, Duration.ofSeconds(5));
                    FalRequestResultEvent event = events.events.stream()
                            .filter(FalRequestResultEvent.class::isInstance).map(FalRequestResultEvent.class::cast)
                            .findFirst().orElseThrow();
                    Output fromEvent = event.getResult(Output.class);

                    assertThat(direct.images().get(0).contentType()).isEqualTo("image/png");
                    assertThat(direct.hasNsfwConcepts()).containsExactly(false);
                    assertThat(fromEvent).isEqualTo(direct);
                });
    }

    @Test
    void anEventBuiltWithoutTheClientsMapperUsesAPlainOne() {
        FalRequestResultEvent event = new FalRequestResultEvent(new FalRequest("fal-ai/x", "r-1"),
                SNAKE.readTree("{\"images\":[{\"url\":\"u\",\"content_type\":\"image/png\"}],\"extra\":1}"));

        Output output = event.getResult(Output.class);

        assertThat(output.images().get(0).url()).isEqualTo("u");
        assertThat(output.images().get(0).contentType()).isNull();
    }
}
