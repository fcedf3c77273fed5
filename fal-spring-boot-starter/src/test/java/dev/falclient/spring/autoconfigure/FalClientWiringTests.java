package dev.falclient.spring.autoconfigure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.falclient.FalClient;
import dev.falclient.FalHttpException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

/** The fal.* properties reach the client's calls, and builder customizers apply after them. */
class FalClientWiringTests {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class, FalAutoConfiguration.class))
            .withPropertyValues("fal.key=wiring-key-0123456789", "fal.queue-url=" + wm.baseUrl() + "/queue",
                    "fal.retry.initial-backoff=10ms", "fal.retry.max-backoff=20ms", "fal.default-priority=low",
                    "fal.default-headers[X-Fal-Runner-Hint]=gpu-a");

    @Test
    void propertiesShapeEveryCall() {
        wm.stubFor(post(urlPathEqualTo("/queue/fal-ai/flux")).willReturn(aResponse().withStatus(503)));
        runner.withPropertyValues("fal.retry.max-attempts=3").run(context -> {
            assertThatThrownBy(() -> context.getBean(FalClient.class).submit("fal-ai/flux", Map.of()))
                    .isInstanceOf(FalHttpException.class);
            wm.verify(3, postRequestedFor(urlPathEqualTo("/queue/fal-ai/flux"))
                    .withHeader("Authorization", equalTo("Key wiring-key-0123456789"))
                    .withHeader("X-Fal-Queue-Priority", equalTo("low"))
                    .withHeader("X-Fal-Runner-Hint", equalTo("gpu-a")));
        });
    }

    @Test
    void storagePropertiesShapeUploads() {
        wm.stubFor(post(urlPathEqualTo("/rest/storage/auth/token")).willReturn(okJson(
                "{\"token\":\"t\",\"token_type\":\"Bearer\",\"expires_at\":\"2999-01-01T00:00:00Z\"}")));
        wm.stubFor(post(urlPathEqualTo("/cdn/files/upload")).willReturn(okJson("{\"access_url\":\"https://x/f\"}")));
        runner.withPropertyValues("fal.rest-url=" + wm.baseUrl() + "/rest", "fal.cdn-url=" + wm.baseUrl() + "/cdn",
                "fal.storage.default-expires-in=1d", "fal.storage.auto-upload=false").run(context -> {
                    FalClient fal = context.getBean(FalClient.class);
                    assertThat(fal.storage().upload(new byte[] {1}, "image/png")).isEqualTo("https://x/f");
                    wm.verify(1, postRequestedFor(urlPathEqualTo("/cdn/files/upload")).withHeader(
                            "X-Fal-Object-Lifecycle", equalToJson("{\"expiration_duration_seconds\":86400}")));
                    assertThatThrownBy(() -> fal.run("fal-ai/flux", Map.of("image_url", Path.of("cat.png"))))
                            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fal.storage.auto-upload");
                });
    }

    @Test
    void builderCustomizersApplyAfterTheProperties() {
        wm.stubFor(post(urlPathEqualTo("/queue/fal-ai/flux")).willReturn(aResponse().withStatus(503)));
        runner.withPropertyValues("fal.retry.max-attempts=3")
                .withBean(FalClientBuilderCustomizer.class, () -> builder -> builder.maxAttempts(1))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThatThrownBy(() -> context.getBean(FalClient.class).submit("fal-ai/flux", Map.of()))
                            .isInstanceOf(FalHttpException.class);
                    wm.verify(1, postRequestedFor(urlPathEqualTo("/queue/fal-ai/flux")));
                });
    }
}
