package dev.falclient.spring.autoconfigure;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.falclient.FalClient;
import dev.falclient.FalException;
import dev.falclient.Queued;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Boot's SSL bundles ({@code fal.ssl-bundle}, {@code spring.http.clients.ssl.bundle}) reach fal calls, on top of the
 * client's own pool and timeouts. Boot's redirect policy does not: see {@link FalRedirectTests}.
 */
class FalConnectorSettingsTests {

    private static final String STATUS = "/fal-ai/flux/requests/r1/status";

    @TempDir
    static Path dir;

    private static WireMockServer https;
    private static Path keystore;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(FalAutoConfigurationTests.UPSTREAM)
            .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, HttpClientAutoConfiguration.class,
                    FalAutoConfiguration.class))
            .withPropertyValues("fal.key=test-key", "fal.retry.max-attempts=1");

    /** A self-signed certificate for 127.0.0.1, made with the JDK's keytool, serves WireMock over HTTPS. */
    @BeforeAll
    static void startHttpsServer() throws Exception {
        keystore = dir.resolve("fal-test.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "fal", "-keyalg", "RSA",
                "-keysize", "2048", "-validity", "2", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit",
                "-keypass", "changeit").redirectErrorStream(true).redirectOutput(new File(dir.toFile(), "keytool.log"))
                .start();
        assertThat(process.waitFor()).as(Files.readString(dir.resolve("keytool.log"))).isZero();
        https = new WireMockServer(wireMockConfig().dynamicPort().dynamicHttpsPort()
                .keystorePath(keystore.toString()).keystorePassword("changeit").keyManagerPassword("changeit")
                .keystoreType("PKCS12"));
        https.start();
        https.stubFor(get(urlPathEqualTo(STATUS)).willReturn(okJson("{\"status\":\"IN_QUEUE\",\"queue_position\":4}")));
    }

    @AfterAll
    static void stop() {
        https.stop();
    }

    @Test
    void sslBundleNamedByFalSslBundleIsTrusted() {
        runner.withPropertyValues("fal.queue-url=https://127.0.0.1:" + https.httpsPort(),
                        "fal.ssl-bundle=fal-gateway",
                        "spring.ssl.bundle.jks.fal-gateway.truststore.location=file:" + keystore,
                        "spring.ssl.bundle.jks.fal-gateway.truststore.password=changeit",
                        "spring.ssl.bundle.jks.fal-gateway.truststore.type=PKCS12")
                .run(context -> assertThat(context.getBean(FalClient.class).status("fal-ai/flux", "r1", false))
                        .isEqualTo(new Queued(4)));
    }

    @Test
    void globalHttpClientsSslBundleAppliesWhenFalNamesNone() {
        runner.withPropertyValues("fal.queue-url=https://127.0.0.1:" + https.httpsPort(),
                        "spring.http.clients.ssl.bundle=corp",
                        "spring.ssl.bundle.jks.corp.truststore.location=file:" + keystore,
                        "spring.ssl.bundle.jks.corp.truststore.password=changeit",
                        "spring.ssl.bundle.jks.corp.truststore.type=PKCS12")
                .run(context -> assertThat(context.getBean(FalClient.class).status("fal-ai/flux", "r1", false))
                        .isEqualTo(new Queued(4)));
    }

    @Test
    void withoutABundleTheSelfSignedServerIsRejected() {
        runner.withPropertyValues("fal.queue-url=https://127.0.0.1:" + https.httpsPort())
                .run(context -> assertThatThrownBy(() -> context.getBean(FalClient.class)
                        .status("fal-ai/flux", "r1", false))
                        .isInstanceOf(FalException.class)
                        .hasMessageContaining("https://127.0.0.1:" + https.httpsPort()));
    }

    @Test
    void unknownBundleFailsTheStartNamingIt() {
        runner.withPropertyValues("fal.ssl-bundle=no-such-bundle")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .rootCause().hasMessageContaining("no-such-bundle"));
    }
}
