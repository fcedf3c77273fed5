package dev.falclient.test.docs;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Stands for the user's application in the README's emulator-testing examples. */
@SpringBootApplication
class DocsApp {
}
