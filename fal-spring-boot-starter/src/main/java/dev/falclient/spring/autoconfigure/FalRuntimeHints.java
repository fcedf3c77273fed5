package dev.falclient.spring.autoconfigure;

import dev.falclient.FalRequest;
import dev.falclient.FieldError;
import dev.falclient.webhook.FalWebhook;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.boot.context.properties.bind.BindableRuntimeHintsRegistrar;
import org.springframework.util.ClassUtils;

/**
 * What the client and the starter need in a GraalVM native image beyond what the compiler sees: the client's
 * {@code version.properties} (read for the User-Agent), the {@code fal.*} properties records (bound by constructor),
 * and the records Jackson maps by reflection: fal's status body, and the API records applications store or return
 * as JSON ({@link FalRequest}, {@link FalWebhook}, {@link FieldError}). Registered in
 * {@code META-INF/spring/aot.factories}; Spring's AOT processing applies it to every application using the starter.
 */
final class FalRuntimeHints implements RuntimeHintsRegistrar {

    static final String VERSION_RESOURCE = "dev/falclient/version.properties";

    /** Engine types (not API, so named rather than imported) that Jackson reads by reflection. */
    static final List<String> ENGINE_JSON_TYPES = List.of("dev.falclient.internal.json.StatusBody");

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        hints.resources().registerPattern(VERSION_RESOURCE);
        BindableRuntimeHintsRegistrar.forTypes(FalProperties.class).registerHints(hints, classLoader);
        List<Class<?>> jsonTypes = new ArrayList<>(List.of(FalRequest.class, FalWebhook.class, FieldError.class));
        for (String name : ENGINE_JSON_TYPES) {
            jsonTypes.add(ClassUtils.resolveClassName(name, classLoader));
        }
        new BindingReflectionHintsRegistrar().registerReflectionHints(hints.reflection(),
                jsonTypes.toArray(Class<?>[]::new));
    }
}
