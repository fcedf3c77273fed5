package dev.falclient.spring.autoconfigure;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * WireMock over HTTPS with a self-signed certificate for 127.0.0.1 made with the JDK's keytool, and the
 * {@code spring.ssl.bundle.jks.<name>.*} properties of a bundle that trusts it.
 */
public final class SelfSignedHttps implements AutoCloseable {

    private final Path keystore;
    private final WireMockServer server;

    public SelfSignedHttps(Path dir) throws Exception {
        keystore = dir.resolve("fal-test.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "fal", "-keyalg", "RSA",
                "-keysize", "2048", "-validity", "2", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit",
                "-keypass", "changeit").redirectErrorStream(true).redirectOutput(new File(dir.toFile(), "keytool.log"))
                .start();
        assertThat(process.waitFor()).as(Files.readString(dir.resolve("keytool.log"))).isZero();
        server = new WireMockServer(wireMockConfig().dynamicPort().dynamicHttpsPort()
                .keystorePath(keystore.toString()).keystorePassword("changeit").keyManagerPassword("changeit")
                .keystoreType("PKCS12"));
        server.start();
    }

    public WireMockServer server() {
        return server;
    }

    public String baseUrl() {
        return "https://127.0.0.1:" + server.httpsPort();
    }

    /** Properties of an SSL bundle named {@code name} that trusts this server. */
    public String[] trustingBundle(String name) {
        String prefix = "spring.ssl.bundle.jks." + name + ".truststore.";
        return new String[] {prefix + "location=file:" + keystore, prefix + "password=changeit",
                prefix + "type=PKCS12"};
    }

    @Override
    public void close() {
        server.stop();
    }
}
