package dev.falclient.test;

import dev.falclient.AsyncFalClient;
import dev.falclient.FalClient;
import dev.falclient.emulator.FalEmulator;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that runs a {@link FalEmulator} for tests without Spring.
 *
 * <pre>{@code
 * class ImagesTests {
 *     @RegisterExtension
 *     static FalEmulatorExtension fal = FalEmulatorExtension.newInstance(
 *             builder -> builder.workers(1).processingTime(Duration.ofMillis(100)));
 *
 *     @Test
 *     void draws(FalEmulator emulator) {                       // or fal.emulator()
 *         try (FalClient client = fal.clientBuilder().build()) {  // key and URLs point at the emulator
 *             JsonNode out = client.subscribe("fal-ai/fast-sdxl", Map.of("prompt", "a cat"));
 *             assertThat(emulator.requests(CallKind.SUBMIT)).hasSize(1);
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>Registered on a {@code static} field, the emulator starts before all tests of the class, is
 * {@linkplain FalEmulator#reset() reset} after each test (after your {@code @AfterEach} methods) and closed after
 * all tests. Registered on an instance field, it starts before and closes after each test. Test and lifecycle
 * method parameters of type {@link FalEmulator} are resolved to it. The emulator binds a random port of
 * {@code 127.0.0.1}; by default it accepts any non-empty key and {@link #clientBuilder()} uses {@value #DEFAULT_KEY}.
 */
public final class FalEmulatorExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

    /** The key {@link #clientBuilder()} uses unless {@link #requiringKey(String)} set another. */
    public static final String DEFAULT_KEY = "emulator-key";

    private final Consumer<FalEmulator.Builder> customizer;
    private final String key;
    private final boolean requireKey;
    private volatile @Nullable FalEmulator emulator;
    private volatile boolean perTest;

    private FalEmulatorExtension(Consumer<FalEmulator.Builder> customizer, String key, boolean requireKey) {
        this.customizer = customizer;
        this.key = key;
        this.requireKey = requireKey;
    }

    /** An extension for an emulator with the emulator's defaults (2 workers, 500 ms processing, 3 log lines). */
    public static FalEmulatorExtension newInstance() {
        return newInstance(builder -> { });
    }

    /**
     * An extension for an emulator configured by {@code customizer}, e.g.
     * {@code builder -> builder.workers(2).processingTime(Duration.ofMillis(100))}. The port is random unless the
     * customizer sets one.
     */
    public static FalEmulatorExtension newInstance(Consumer<FalEmulator.Builder> customizer) {
        return new FalEmulatorExtension(Objects.requireNonNull(customizer, "customizer"), DEFAULT_KEY, false);
    }

    /**
     * A copy whose emulator accepts only {@code key} and whose {@link #clientBuilder()} uses it (by default any
     * non-empty key is accepted). Call it where the extension is declared, before it starts.
     */
    public FalEmulatorExtension requiringKey(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("key must not be blank");
        }
        return new FalEmulatorExtension(customizer, key.trim(), true);
    }

    // ---------------------------------------------------------------------------------------------- accessors

    /**
     * The running emulator: script it, inject faults, inspect recorded requests.
     *
     * @throws IllegalStateException outside the extension's lifecycle (before it started or after it closed)
     */
    public FalEmulator emulator() {
        FalEmulator current = emulator;
        if (current == null) {
            throw new IllegalStateException("The fal emulator is not running: register FalEmulatorExtension with "
                    + "@RegisterExtension and use it inside the test lifecycle");
        }
        return current;
    }

    /** The key {@link #clientBuilder()} uses. */
    public String key() {
        return key;
    }

    /** The emulator's stand-in for {@code https://queue.fal.run}. */
    public String queueUrl() {
        return emulator().queueUrl();
    }

    /** The emulator's stand-in for {@code https://fal.run}. */
    public String runUrl() {
        return emulator().runUrl();
    }

    /** The emulator's stand-in for {@code https://rest.fal.ai}. */
    public String restUrl() {
        return emulator().restUrl();
    }

    /** The emulator's stand-in for {@code https://v3.fal.media}, where generated images are served. */
    public String cdnUrl() {
        return emulator().cdnUrl();
    }

    /**
     * A new blocking-client builder with the key and the queue, run, REST and CDN URLs of the emulator; every other
     * setting is the core default and may be changed. Close the clients you build.
     */
    public FalClient.Builder clientBuilder() {
        FalEmulator current = emulator();
        return FalClient.builder().key(key).queueUrl(current.queueUrl()).runUrl(current.runUrl())
                .restUrl(current.restUrl()).cdnUrl(current.cdnUrl());
    }

    /** Like {@link #clientBuilder()}, for the reactive client. */
    public AsyncFalClient.Builder asyncClientBuilder() {
        FalEmulator current = emulator();
        return AsyncFalClient.builder().key(key).queueUrl(current.queueUrl()).runUrl(current.runUrl())
                .restUrl(current.restUrl()).cdnUrl(current.cdnUrl());
    }

    // ---------------------------------------------------------------------------------------------- lifecycle

    @Override
    public void beforeAll(ExtensionContext context) {
        if (emulator == null) {
            emulator = start();
            perTest = false;
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (emulator == null) {
            // registered on an instance field: one emulator per test
            emulator = start();
            perTest = true;
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        FalEmulator current = emulator;
        if (current == null) {
            return;
        }
        if (perTest) {
            stop();
        } else {
            current.reset();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == FalEmulator.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        FalEmulator current = emulator;
        if (current == null) {
            throw new ParameterResolutionException("The fal emulator is not running yet for "
                    + parameterContext.getDeclaringExecutable() + ": register FalEmulatorExtension on a static field "
                    + "to use it in constructors and @BeforeAll methods");
        }
        return current;
    }

    private FalEmulator start() {
        FalEmulator.Builder builder = FalEmulator.builder().port(0);
        customizer.accept(builder);
        if (requireKey) {
            builder.requiredKey(key);
        }
        return builder.start();
    }

    private synchronized void stop() {
        FalEmulator current = emulator;
        emulator = null;
        perTest = false;
        if (current != null) {
            current.close();
        }
    }

    @Override
    public String toString() {
        FalEmulator current = emulator;
        return "FalEmulatorExtension[" + (current == null ? "not running" : current.baseUrl()) + "]";
    }
}
