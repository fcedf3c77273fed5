package dev.falclient.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The fal sample application: a WebFlux app that submits image generations through the fal Spring Boot starter and
 * streams their lifecycle to a browser. Offline by default: without a fal key it runs an in-process fal emulator
 * (see {@link EmulatorConfiguration} and {@link FalMode}).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
