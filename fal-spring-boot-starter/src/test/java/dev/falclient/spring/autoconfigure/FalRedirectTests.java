package dev.falclient.spring.autoconfigure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.falclient.FalClient;
import dev.falclient.FalHttpException;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * fal calls never follow a redirect, whatever {@code spring.http.clients.redirects} says: a 307 would re-send the
 * prompt and the key to another host and trust its answer. The call fails with the 307 and the other host sees
 * nothing.
 */
class FalRedirectTests {

    private static final String APP = "fal-ai/flux";
    private static final String STATUS = "/" + APP + "/requests/r1/status";

    @RegisterExtension
    static WireMockExtension fal = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @RegisterExtension
    static WireMockExtension elsewhere = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort())
            .build();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(FalAutoConfigurationTests.UPSTREAM)
            .withConfiguration(AutoConfigurations.of(HttpClientAutoConfiguration.class, FalAutoConfiguration.class))
            .withPropertyValues("fal.key=redirect-test-key", "fal.queue-url=" + fal.baseUrl(),
                    "fal.retry.max-attempts=1");

    @BeforeEach
    void stubs() {
        fal.stubFor(post(urlPathEqualTo("/" + APP)).willReturn(aResponse().withStatus(307)
                .withHeader("Location", elsewhere.baseUrl() + "/" + APP)));
        fal.stubFor(get(urlPathEqualTo(STATUS)).willReturn(aResponse().withStatus(307)
                .withHeader("Location", elsewhere.baseUrl() + STATUS)));
        // what the other host would answer, were it asked
        elsewhere.stubFor(post(urlPathEqualTo("/" + APP)).willReturn(okJson("{\"request_id\":\"evil\"}")));
        elsewhere.stubFor(get(urlPathEqualTo(STATUS)).willReturn(okJson("{\"status\":\"COMPLETED\"}")));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "follow", "follow-when-possible", "dont-follow" })
    void a307ToAnotherHostIsNotFollowed(String redirects) {
        runner.withPropertyValues(redirects.isEmpty() ? new String[0]
                        : new String[] { "spring.http.clients.redirects=" + redirects })
                .run(context -> {
                    FalClient client = context.getBean(FalClient.class);
                    assertThatThrownBy(() -> client.submit(APP, Map.of("prompt", "secret plans")))
                            .isInstanceOfSatisfying(FalHttpException.class,
                                    e -> assertThat(e.statusCode()).isEqualTo(307));
                    assertThatThrownBy(() -> client.status(APP, "r1", false))
                            .isInstanceOfSatisfying(FalHttpException.class,
                                    e -> assertThat(e.statusCode()).isEqualTo(307));
                });
        elsewhere.verify(0, anyRequestedFor(anyUrl()));
    }
}
