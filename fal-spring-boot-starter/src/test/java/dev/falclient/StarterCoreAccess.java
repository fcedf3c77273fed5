package dev.falclient;

import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Test-only window into the core builder's package-private settings (same package name, so the starter's tests
 * can compare the starter's mapping with the core's defaults without reflection on private fields).
 */
public final class StarterCoreAccess {

    /** Components that are objects without value equality (builders, functions, mappers). */
    public static final Set<String> NON_VALUE_SETTINGS = Set.of("credentials", "webClientBuilder",
            "httpClientCustomizer", "connectorFactory", "mapper", "listeners", "listenerExecutor");

    private StarterCoreAccess() {
    }

    /** Every value setting of the builder, by its core name. */
    public static Map<String, Object> valueSettings(FalClientBuilder<?> builder) {
        FalClientSettings settings = builder.settings();
        Map<String, Object> values = new LinkedHashMap<>();
        for (RecordComponent component : FalClientSettings.class.getRecordComponents()) {
            if (NON_VALUE_SETTINGS.contains(component.getName())) {
                continue;
            }
            try {
                component.getAccessor().setAccessible(true);
                values.put(component.getName(), component.getAccessor().invoke(settings));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return values;
    }

    /** The listeners the builder would give the client. */
    public static java.util.List<FalRequestListener> listeners(FalClientBuilder<?> builder) {
        return builder.settings().listeners();
    }

    /** The resolved credential of the builder's chain. */
    public static java.util.Optional<FalCredentials.Credential> credential(FalClientBuilder<?> builder) {
        return builder.settings().credentials().resolve();
    }
}
