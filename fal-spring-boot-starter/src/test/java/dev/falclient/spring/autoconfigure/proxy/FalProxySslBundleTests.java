package dev.falclient.spring.autoconfigure.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.falclient.spring.autoconfigure.proxy.ProxyFixtures.KEY;
import static dev.falclient.spring.autoconfigure.proxy.ProxyFixtures.PATH;

import dev.falclient.spring.autoconfigure.FalAutoConfiguration;
import dev.falclient.spring.autoconfigure.SelfSignedHttps;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;

/** The proxy reaches a fal gateway with a private CA through the same SSL bundle as the client. */
class FalProxySslBundleTests {

    private static final String STATUS = "/fal-ai/flux/requests/r1/status";

    @TempDir
    static Path dir;

    private static SelfSignedHttps https;

    private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, HttpClientAutoConfiguration.class,
                    FalAutoConfiguration.class, FalProxyAutoConfiguration.class))
            .withPropertyValues("fal.key=" + KEY, "fal.proxy.enabled=true", "fal.proxy.allowed-endpoints=fal-ai/flux/*",
                    "fal.retry.max-attempts=1");

    @BeforeAll
    static void startHttpsServer() throws Exception {
        https = new SelfSignedHttps(dir);
        https.server().stubFor(get(urlPathEqualTo(STATUS))
                .willReturn(okJson("{\"status\":\"IN_QUEUE\",\"queue_position\":2}")));
    }

    @AfterAll
    static void stop() {
        https.close();
    }

    @Test
    void theProxyTrustsWhatFalSslBundleTrusts() {
        runner.withPropertyValues("fal.queue-url=" + https.baseUrl(), "fal.ssl-bundle=fal-gateway")
                .withPropertyValues(https.trustingBundle("fal-gateway"))
                .run(context -> FalProxyReactiveTests.client(context).get().uri(PATH)
                        .header("X-Fal-Target-Url", "https://queue.fal.run" + STATUS).exchange()
                        .expectStatus().isOk().expectBody().jsonPath("$.queue_position").isEqualTo(2));
        https.server().verify(getRequestedFor(urlPathEqualTo(STATUS))
                .withHeader("Authorization", equalTo("Key " + KEY)));
    }

    @Test
    void withoutTheBundleTheGatewayIsNotTrusted() {
        runner.withPropertyValues("fal.queue-url=" + https.baseUrl())
                .run(context -> FalProxyReactiveTests.client(context).get().uri(PATH)
                        .header("X-Fal-Target-Url", "https://queue.fal.run" + STATUS).exchange()
                        .expectStatus().isEqualTo(502));
    }
}
