package dev.falclient.test;

import dev.falclient.emulator.FalEmulator;
import dev.falclient.spring.autoconfigure.FalConnectionDetails;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * Runs a {@link FalEmulator} for a Spring test's application context and points the fal starter at it. Put it on
 * a {@code @SpringBootTest}, {@code @WebFluxTest} or {@code @WebMvcTest} class (directly, on an enclosing class of a
 * {@code @Nested} test, or as a meta-annotation of your own test annotation):
 *
 * <pre>{@code
 * @SpringBootTest
 * @AutoConfigureFalEmulator(processingTime = "100ms")
 * class ImageServiceTests {
 *     @Autowired FalClient fal;            // talks to the emulator
 *     @Autowired FalEmulator emulator;     // script it, inject faults, inspect recorded requests
 * }
 * }</pre>
 *
 * <p>One emulator is started per application context, on a random port of {@code 127.0.0.1}, before the context
 * refreshes; it is registered as the singleton bean {@code falEmulator} and closed when the context closes. Test
 * classes with the same attributes (and otherwise the same configuration) share one cached context, hence one
 * emulator. The starter reaches it through a primary {@link FalConnectionDetails} bean,
 * {@code falEmulatorConnectionDetails} (the emulator's URLs and {@link #key()}; it wins over the application's own
 * connection details and {@code fal.key}/{@code fal.*-url}), and a property source of highest precedence sets
 * {@code fal.webhook.jwks-url} (so the starter's webhook receiver accepts the emulator's signed deliveries); every
 * other {@code fal.*} property keeps its configured value.
 *
 * <p>In a slice test ({@code @WebFluxTest}, {@code @WebMvcTest}, ...) the annotation also imports the fal
 * auto-configurations (listed in {@code META-INF/spring/dev.falclient.test.AutoConfigureFalEmulator.imports}), so
 * that the client beans exist:
 *
 * <pre>{@code
 * @WebMvcTest(ImageController.class)
 * @AutoConfigureFalEmulator
 * class ImageControllerTests {
 *     @Autowired MockMvc mvc;              // the controller calls the emulator through the injected FalClient
 * }
 * }</pre>
 *
 * <p>After each test method the emulator is {@linkplain FalEmulator#reset() reset} (scripts, faults, recorded
 * requests and webhooks, queues) by {@link FalEmulatorResetTestExecutionListener}, so one test's scripting cannot
 * leak into the next; set {@link #resetAfterEachTest()} to {@code false} to keep state across tests.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
public @interface AutoConfigureFalEmulator {

    /** The key the starter sends (through the emulator's connection details); it must not be blank. */
    String key() default "emulator-key";

    /**
     * Whether the emulator accepts only {@link #key()} ({@code Authorization: Key <key>}). By default it accepts any
     * non-empty key, like a fal that knows every key.
     */
    boolean requireKey() default false;

    /** Workers per endpoint, that is requests processed at the same time per endpoint (at least 1). */
    int workers() default 2;

    /**
     * How long each request is processed, e.g. {@code "100ms"}, {@code "2s"} or ISO-8601 {@code "PT0.1S"} (parsed
     * with Spring Boot's {@code DurationStyle.detectAndParse}; a bare number means milliseconds).
     */
    String processingTime() default "500ms";

    /** Least time a request stays {@code IN_QUEUE} even when a worker is free, in the same format. */
    String queueTime() default "0ms";

    /** Generic log lines each request emits while in progress. */
    int logLines() default 3;

    /** A path prefix kept in every emulator URL, e.g. {@code "/gateway"} (default none). */
    String pathPrefix() default "";

    /**
     * Whether the emulator POSTs to the {@code fal_webhook} URL of a submit when the request completes, signed as
     * fal signs it and retried until accepted ({@link FalEmulator#webhookSender()}). The URLs are recorded either way
     * ({@link FalEmulator#webhooks()}). With {@code fal.webhook.enabled=true} and {@code fal.webhook.url} pointing at
     * the application's own receiver, completions arrive as events end to end.
     */
    boolean deliverWebhooks() default false;

    /**
     * Whether the emulator is reset after each test method (scripts, faults, recorded requests, webhooks and queues
     * are cleared). On by default so tests stay independent.
     */
    boolean resetAfterEachTest() default true;
}
