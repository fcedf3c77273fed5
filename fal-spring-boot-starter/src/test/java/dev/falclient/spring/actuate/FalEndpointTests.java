package dev.falclient.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.falclient.AsyncFalClient;
import dev.falclient.FalClient;
import dev.falclient.SubmitOptions;
import dev.falclient.emulator.FalEmulator;
import dev.falclient.spring.autoconfigure.FalAutoConfiguration;
import dev.falclient.spring.autoconfigure.actuate.FalEndpointAutoConfiguration;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import tools.jackson.databind.json.JsonMapper;

/** The read-only {@code fal} actuator endpoint: available only when exposed, JSON without the key. */
class FalEndpointTests {

    static final String KEY_ID = "endpointkeyid";
    static final String KEY_SECRET = "TopSecretValue0123456789";
    static final String ENDPOINT = "fal-ai/fast-sdxl";

    static FalEmulator emulator;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CodecsAutoConfiguration.class,
                    ReactiveHttpClientAutoConfiguration.class, WebClientAutoConfiguration.class,
                    FalAutoConfiguration.class, FalEndpointAutoConfiguration.class))
            .withPropertyValues("fal.queue-url=" + emulator.queueUrl(), "fal.run-url=" + emulator.runUrl(),
                    "fal.key=" + KEY_ID + ":" + KEY_SECRET);

    @BeforeAll
    static void startEmulator() {
        emulator = FalEmulator.builder().workers(1).processingTime(Duration.ofSeconds(2)).start();
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    @Test
    void notAvailableUntilExposedAsBootDoesForEveryEndpointButHealth() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(FalClient.class);
            assertThat(context).doesNotHaveBean(FalEndpoint.class);
        });
        runner.withPropertyValues("management.endpoints.web.exposure.include=health,info")
                .run(context -> assertThat(context).doesNotHaveBean(FalEndpoint.class));
    }

    @Test
    void exposedEndpointListsTheRunningRequestAndTheMaskedKeySourceButNeverTheKey() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=health,fal").run(context -> {
            FalEndpoint endpoint = context.getBean(FalEndpoint.class);
            AsyncFalClient fal = context.getBean(AsyncFalClient.class);
            String requestId = fal.submit(ENDPOINT, Map.of("prompt", "lighthouse"),
                    SubmitOptions.builder().track(true).build()).block().requestId();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                FalEndpoint.FalDescriptor fal1 = endpoint.fal();
                assertThat(fal1.inFlightCount()).isEqualTo(1);
                assertThat(fal1.requests()).singleElement().satisfies(r -> {
                    assertThat(r.requestId()).isEqualTo(requestId);
                    assertThat(r.endpointId()).isEqualTo(ENDPOINT);
                    assertThat(r.tracked()).isTrue();
                    assertThat(r.status()).isEqualTo("IN_PROGRESS");
                });
            });
            String json = JsonMapper.builder().build().writeValueAsString(endpoint.fal());
            assertThat(json).contains("\"requestId\":\"" + requestId + "\"", "\"status\":\"IN_PROGRESS\"",
                    "\"source\":\"fal.key\"", "\"key\":\"endp…\"", "\"queueUrl\":\"" + emulator.queueUrl() + "\"",
                    "\"succeeded\":", "\"since\":\"");
            assertThat(json).doesNotContain(KEY_SECRET).doesNotContain(KEY_ID);

            await().atMost(Duration.ofSeconds(15)).until(() -> endpoint.fal().requests().isEmpty());
        });
    }

    @Test
    void hasNoWriteOperationSoNothingCanSubmitOrCancelThroughIt() {
        assertThat(FalEndpoint.class.getDeclaredMethods())
                .filteredOn(m -> java.lang.reflect.Modifier.isPublic(m.getModifiers()))
                .allSatisfy(m -> assertThat(m.getAnnotations()).noneMatch(a -> a.annotationType().getSimpleName()
                        .matches("WriteOperation|DeleteOperation")));
    }

    @Test
    void withoutTheActuatorOnTheClassPathTheClientStillWorks() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=fal")
                .withClassLoader(new FilteredClassLoader(Endpoint.class))
                .run(context -> {
                    assertThat(context).hasSingleBean(FalClient.class);
                    assertThat(context).doesNotHaveBean(FalEndpoint.class);
                });
    }
}
