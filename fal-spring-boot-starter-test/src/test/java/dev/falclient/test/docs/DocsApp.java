package dev.falclient.test.docs;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Stands for the user's application in the TESTING.md examples. */
@SpringBootApplication
class DocsApp {
}
