package dev.falclient.spring.autoconfigure;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.falclient.FalClient;
import dev.falclient.spring.FalStubs;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.core.annotation.Order;
import org.springframework.web.reactive.function.client.WebClient;

class FalWebClientCustomizerTests {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CodecsAutoConfiguration.class,
                    ReactiveHttpClientAutoConfiguration.class, WebClientAutoConfiguration.class,
                    FalAutoConfiguration.class))
            .withPropertyValues("fal.key=test-key-0123456789", "fal.queue-url=" + wm.baseUrl(),
                    "fal.status-mode=POLLING", "fal.poll-interval=10ms", "fal.default-headers[X-Fal-Store-IO]=0");

    @Test
    void falCustomizersApplyInOrderOnTopOfBootCustomizersAndOnlyToFal() {
        FalStubs.fullCycle(wm);
        runner.withBean(WebClientCustomizer.class, () -> builder -> builder.defaultHeader("X-Global", "boot"))
                .withBean("second", FalWebClientCustomizer.class, () -> new SecondCustomizer())
                .withBean("first", FalWebClientCustomizer.class, () -> new FirstCustomizer())
                .run(context -> {
                    context.getBean(FalClient.class).subscribe(FalStubs.ENDPOINT, Map.of("prompt", "x"));
                    wm.verify(postRequestedFor(urlPathEqualTo("/" + FalStubs.ENDPOINT))
                            .withHeader("X-Fal-Only", equalTo("second"))
                            .withHeader("X-Global", equalTo("boot"))
                            .withHeader("X-Fal-Store-IO", equalTo("0"))
                            .withHeader("Authorization", equalTo("Key test-key-0123456789")));

                    // Boot's builder handed to anyone else does not carry the fal-only header
                    WebClient.Builder shared = context.getBean(WebClient.Builder.class);
                    shared.build().get().uri(wm.baseUrl() + "/other").retrieve().toBodilessEntity()
                            .onErrorComplete().block(Duration.ofSeconds(5));
                    wm.verify(getRequestedFor(urlPathEqualTo("/other")).withHeader("X-Fal-Only", absent())
                            .withHeader("X-Global", equalTo("boot")));
                });
    }

    @Test
    void applicationSingletonBuilderIsClonedNotMutated() {
        FalStubs.fullCycle(wm);
        WebClient.Builder singleton = WebClient.builder();
        runner.withBean(WebClient.Builder.class, () -> singleton)
                .withBean(FalWebClientCustomizer.class, () -> builder -> builder.defaultHeader("X-Fal-Only", "yes"))
                .run(context -> {
                    context.getBean(FalClient.class).submit(FalStubs.ENDPOINT, Map.of("prompt", "x"));
                    wm.verify(postRequestedFor(urlPathEqualTo("/" + FalStubs.ENDPOINT))
                            .withHeader("X-Fal-Only", equalTo("yes")));
                    singleton.build().get().uri(wm.baseUrl() + "/shared").retrieve().toBodilessEntity()
                            .onErrorComplete().block(Duration.ofSeconds(5));
                    wm.verify(getRequestedFor(urlPathEqualTo("/shared")).withHeader("X-Fal-Only", absent()));
                });
    }

    @Order(1)
    static final class FirstCustomizer implements FalWebClientCustomizer {
        @Override
        public void customize(WebClient.Builder builder) {
            builder.defaultHeader("X-Fal-Only", "first");
        }
    }

    @Order(2)
    static final class SecondCustomizer implements FalWebClientCustomizer {
        @Override
        public void customize(WebClient.Builder builder) {
            builder.defaultHeaders(headers -> headers.set("X-Fal-Only", "second"));
        }
    }
}
