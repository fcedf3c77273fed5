package dev.falclient.spring.autoconfigure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.falclient.AsyncFalClient;
import dev.falclient.FalClient;
import dev.falclient.FalException;
import dev.falclient.Queued;
import dev.falclient.realtime.FalRealtimeException;
import dev.falclient.realtime.RealtimeOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.publisher.Flux;

/**
 * Boot's SSL bundles ({@code fal.ssl-bundle}, {@code spring.http.clients.ssl.bundle}) reach fal calls, on top of the
 * client's own pool and timeouts. Boot's redirect policy does not: see {@link FalRedirectTests}.
 */
class FalConnectorSettingsTests {

    private static final String STATUS = "/fal-ai/flux/requests/r1/status";

    @TempDir
    static Path dir;

    private static SelfSignedHttps https;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(FalAutoConfigurationTests.UPSTREAM)
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, HttpClientAutoConfiguration.class,
                    FalAutoConfiguration.class))
            .withPropertyValues("fal.key=test-key", "fal.retry.max-attempts=1");

    @BeforeAll
    static void startHttpsServer() throws Exception {
        https = new SelfSignedHttps(dir);
        https.server().stubFor(get(urlPathEqualTo(STATUS))
                .willReturn(okJson("{\"status\":\"IN_QUEUE\",\"queue_position\":4}")));
        https.server().stubFor(post(urlPathEqualTo("/tokens/")).willReturn(okJson("\"realtime-token\"")));
        https.server().stubFor(get(urlPathEqualTo("/fal-ai/fast-lcm-diffusion/realtime"))
                .willReturn(aResponse().withStatus(401).withBody("{\"detail\":\"Invalid token\"}")));
    }

    @AfterAll
    static void stop() {
        https.close();
    }

    @Test
    void sslBundleNamedByFalSslBundleIsTrusted() {
        runner.withPropertyValues("fal.queue-url=" + https.baseUrl(),
                        "fal.ssl-bundle=fal-gateway")
                .withPropertyValues(https.trustingBundle("fal-gateway"))
                .run(context -> assertThat(context.getBean(FalClient.class).status("fal-ai/flux", "r1", false))
                        .isEqualTo(new Queued(4)));
    }

    @Test
    void globalHttpClientsSslBundleAppliesWhenFalNamesNone() {
        runner.withPropertyValues("fal.queue-url=" + https.baseUrl(),
                        "spring.http.clients.ssl.bundle=corp")
                .withPropertyValues(https.trustingBundle("corp"))
                .run(context -> assertThat(context.getBean(FalClient.class).status("fal-ai/flux", "r1", false))
                        .isEqualTo(new Queued(4)));
    }

    @Test
    void withoutABundleTheSelfSignedServerIsRejected() {
        runner.withPropertyValues("fal.queue-url=" + https.baseUrl())
                .run(context -> assertThatThrownBy(() -> context.getBean(FalClient.class)
                        .status("fal-ai/flux", "r1", false))
                        .isInstanceOf(FalException.class)
                        .hasMessageContaining(https.baseUrl()));
    }

    @Test
    void theBundleAlsoSecuresRealtimeSockets() {
        Flux<Object> inputs = Flux.just(Map.of("prompt", "a cat"));
        // fal's answer to the upgrade (401) is only read once TLS trusted the server; without the bundle it fails
        runner.withPropertyValues("fal.run-url=" + https.baseUrl(), "fal.rest-url=" + https.baseUrl(),
                        "fal.ssl-bundle=fal-gateway")
                .withPropertyValues(https.trustingBundle("fal-gateway"))
                .run(context -> assertThatThrownBy(() -> context.getBean(AsyncFalClient.class).realtime()
                                .connect("fal-ai/fast-lcm-diffusion", inputs).blockLast(Duration.ofSeconds(20)))
                        .isInstanceOfSatisfying(FalRealtimeException.class,
                                e -> assertThat(e.httpStatus()).hasValue(401)));
        runner.withPropertyValues("fal.run-url=" + https.baseUrl(), "fal.rest-url=" + https.baseUrl())
                .run(context -> assertThatThrownBy(() -> context.getBean(AsyncFalClient.class).realtime()
                                .connect("fal-ai/fast-lcm-diffusion", inputs, RealtimeOptions.builder()
                                        .reconnectAttempts(0).build()).blockLast(Duration.ofSeconds(20)))
                        .isInstanceOfSatisfying(FalRealtimeException.class,
                                e -> assertThat(e.code()).isEqualTo(FalRealtimeException.TOKEN_FAILED)));
    }

    @Test
    void unknownBundleFailsTheStartNamingIt() {
        runner.withPropertyValues("fal.ssl-bundle=no-such-bundle")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .rootCause().hasMessageContaining("no-such-bundle"));
    }
}
