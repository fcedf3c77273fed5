package dev.falclient.test.slice.webflux;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A WebFlux application that calls fal from a controller; the slice test finds it by package. */
@SpringBootApplication
class FluxApp {
}
