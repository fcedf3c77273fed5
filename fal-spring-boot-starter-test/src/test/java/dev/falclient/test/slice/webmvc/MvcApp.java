package dev.falclient.test.slice.webmvc;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A Spring MVC application that calls fal from a controller; the tests find it by package. */
@SpringBootApplication
class MvcApp {
}
