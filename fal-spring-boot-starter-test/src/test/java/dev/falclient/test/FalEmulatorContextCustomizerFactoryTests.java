package dev.falclient.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.falclient.FalCredentials;
import dev.falclient.emulator.FalEmulator;
import dev.falclient.settings.UrlSettings;
import dev.falclient.spring.autoconfigure.FalConnectionDetails;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.test.context.ContextCustomizer;

class FalEmulatorContextCustomizerFactoryTests {

    private final FalEmulatorContextCustomizerFactory factory = new FalEmulatorContextCustomizerFactory();

    @AutoConfigureFalEmulator(processingTime = "100ms")
    static class A {
    }

    @AutoConfigureFalEmulator(processingTime = "PT0.1S")
    static class SameAsA {
    }

    @AutoConfigureFalEmulator(processingTime = "200ms")
    static class Other {
    }

    @AutoConfigureFalEmulator(processingTime = "100ms", resetAfterEachTest = false)
    static class NoReset {
    }

    static class NotAnnotated {
    }

    @Retention(RetentionPolicy.RUNTIME)
    @SpringBootTest
    @AutoConfigureFalEmulator(workers = 1, key = "meta-key", requireKey = true, pathPrefix = "/gw")
    @interface MyFalTest {
    }

    @MyFalTest
    static class MetaAnnotated {
    }

    static class Subclass extends A {
    }

    @AutoConfigureFalEmulator(processingTime = "soon")
    static class BadDuration {
    }

    @AutoConfigureFalEmulator(key = " ")
    static class BlankKey {
    }

    @AutoConfigureFalEmulator(workers = 0)
    static class NoWorkers {
    }

    @Nested
    class EnclosedTest {
        // inherits nothing: the enclosing class is not annotated
    }

    private ContextCustomizer customizer(Class<?> testClass) {
        return factory.createContextCustomizer(testClass, List.of());
    }

    @Test
    void equalAttributesGiveEqualCustomizersSoContextsAreShared() {
        assertThat(customizer(A.class)).isEqualTo(customizer(SameAsA.class))
                .hasSameHashCodeAs(customizer(SameAsA.class))
                .isEqualTo(customizer(Subclass.class))
                .isNotEqualTo(customizer(Other.class))
                .isNotEqualTo(customizer(NoReset.class));
    }

    @Test
    void noAnnotationNoCustomizer() {
        assertThat(customizer(NotAnnotated.class)).isNull();
        assertThat(customizer(EnclosedTest.class)).isNull();
    }

    @Test
    void metaAnnotationIsFound() {
        FalEmulatorContextCustomizer customizer = (FalEmulatorContextCustomizer) customizer(MetaAnnotated.class);
        assertThat(customizer.settings()).isEqualTo(new FalEmulatorSettings("meta-key", true, 1,
                Duration.ofMillis(500), Duration.ZERO, 3, "/gw", false, true));
    }

    @Test
    void invalidAttributesFailNamingTheAttribute() {
        assertThatThrownBy(() -> customizer(BadDuration.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("processingTime = \"soon\"");
        assertThatThrownBy(() -> customizer(BlankKey.class)).hasMessageContaining("key");
        assertThatThrownBy(() -> customizer(NoWorkers.class)).hasMessageContaining("workers");
    }

    @Test
    void customizerRegistersStartsAndClosesTheEmulator() throws Exception {
        ContextCustomizer customizer = customizer(MetaAnnotated.class);
        FalEmulator emulator;
        try (GenericApplicationContext context = new GenericApplicationContext()) {
            customizer.customizeContext(context, null);
            context.refresh();
            emulator = context.getBean("falEmulator", FalEmulator.class);
            String base = "http://127.0.0.1:" + emulator.port() + "/gw";
            FalConnectionDetails details = context.getBean(FalConnectionDetails.class);
            assertThat(context.getBeanDefinition("falEmulatorConnectionDetails").isPrimary()).isTrue();
            assertThat(details.getUrls()).isEqualTo(new UrlSettings(base + "/queue", base + "/run",
                    base + "/rest", base + "/cdn"));
            assertThat(details.getCredentials().resolve()).map(FalCredentials.Credential::key).contains("meta-key");
            assertThat(context.getEnvironment().getProperty("fal.webhook.jwks-url"))
                    .isEqualTo(base + "/rest/.well-known/jwks.json");
            assertThat(context.getEnvironment().getProperty("fal.key")).isNull();
            assertThat(context.getEnvironment().getPropertySources().iterator().next().getName())
                    .isEqualTo("falEmulator");
            assertThat(reachable(emulator)).isTrue();
        }
        assertThat(reachable(emulator)).isFalse();
    }

    private static boolean reachable(FalEmulator emulator) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", emulator.port()), 1000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
