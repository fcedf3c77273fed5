package dev.falclient.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

/** A real SpringApplication start, so Boot's failure analysis runs and prints its report. */
@ExtendWith(OutputCaptureExtension.class)
class FalStartupFailureTests {

    @Test
    void invalidDurationIsReportedByFailureAnalysis(CapturedOutput output) {
        SpringApplication app = new SpringApplication(App.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        // keep the test logging configuration (logback-test.xml) for the other tests in this JVM
        System.setProperty(LoggingSystem.SYSTEM_PROPERTY, LoggingSystem.NONE);
        try {
            assertThatThrownBy(() -> app.run("--fal.poll-interval=-5s", "--spring.main.banner-mode=off"))
                    .isNotNull();
        } finally {
            System.clearProperty(LoggingSystem.SYSTEM_PROPERTY);
        }
        assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
                .contains("Failed to bind properties under 'fal'")
                .contains("fal.poll-interval must be positive");
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(FalAutoConfiguration.class)
    static class App {
    }
}
