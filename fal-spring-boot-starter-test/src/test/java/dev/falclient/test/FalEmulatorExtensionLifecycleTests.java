package dev.falclient.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.falclient.FalClient;
import dev.falclient.FalHttpException;
import dev.falclient.emulator.FalEmulator;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FalEmulatorExtensionLifecycleTests {

    @Test
    void accessorsFailOutsideTheLifecycle() {
        FalEmulatorExtension extension = FalEmulatorExtension.newInstance();
        assertThatThrownBy(extension::emulator).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not running");
        assertThatThrownBy(extension::clientBuilder).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> extension.requiringKey(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Nested
    class RequiredKey {

        @RegisterExtension
        static FalEmulatorExtension fal = FalEmulatorExtension.newInstance(
                builder -> builder.processingTime(Duration.ofMillis(50))).requiringKey("secret");

        @Test
        void clientBuilderUsesTheRequiredKeyAndOthersAreRejected() {
            try (FalClient good = fal.clientBuilder().build();
                 FalClient bad = fal.clientBuilder().key("wrong").maxAttempts(1).build()) {
                assertThat(good.run("fal-ai/fast-sdxl", Map.of("prompt", "ok")).has("images")).isTrue();
                assertThatThrownBy(() -> bad.run("fal-ai/fast-sdxl", Map.of("prompt", "no")))
                        .isInstanceOfSatisfying(FalHttpException.class, e -> assertThat(e.statusCode()).isEqualTo(401));
            }
            assertThat(fal.key()).isEqualTo("secret");
        }
    }

    @Nested
    class PerTestInstance {

        /** Outside {@code fal}: its checks run after the extension closed the test's emulator. */
        @RegisterExtension
        @Order(1)
        final AfterResetChecks afterClose = new AfterResetChecks();

        @RegisterExtension
        @Order(2)
        FalEmulatorExtension fal = FalEmulatorExtension.newInstance(
                builder -> builder.processingTime(Duration.ofMillis(50)));

        @Test
        void instanceFieldRegistrationStartsOneEmulatorPerTest(FalEmulator emulator) {
            check(emulator);
        }

        @Test
        void anotherTestGetsAnotherEmulator(FalEmulator emulator) {
            check(emulator);
        }

        /** The test's emulator runs during the test and is closed after it, so no other test can get it. */
        private void check(FalEmulator emulator) {
            assertThat(emulator).isSameAs(fal.emulator());
            assertThat(runOn(emulator)).isTrue();
            AfterResetChecks.afterReset(() -> {
                assertThatThrownBy(fal::emulator).isInstanceOf(IllegalStateException.class);
                assertThatThrownBy(() -> runOn(emulator)).isInstanceOf(RuntimeException.class);
            });
        }

        private boolean runOn(FalEmulator emulator) {
            try (FalClient client = FalClient.builder().key("k").queueUrl(emulator.queueUrl())
                    .runUrl(emulator.runUrl()).maxAttempts(1).connectTimeout(Duration.ofSeconds(2)).build()) {
                return client.run("fal-ai/fast-sdxl", Map.of("prompt", "p")).has("images");
            }
        }
    }
}
