package dev.falclient.test.webhook;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/** The application of the webhook end-to-end tests: the starter plus a collector of its events. */
@SpringBootConfiguration
@EnableAutoConfiguration
class WebhookApp {

    @Bean
    Collector collector() {
        return new Collector();
    }
}
