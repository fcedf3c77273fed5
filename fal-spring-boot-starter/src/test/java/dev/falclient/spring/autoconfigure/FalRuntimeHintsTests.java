package dev.falclient.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.falclient.FalRequest;
import dev.falclient.FieldError;
import dev.falclient.webhook.FalWebhook;
import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.util.ClassUtils;

/**
 * The starter's native-image hints, as Spring's AOT processing finds them (through {@code META-INF/spring/aot.factories}):
 * the version resource, constructor binding of the {@code fal.*} records, and Jackson's reflective access to the
 * records it maps.
 */
class FalRuntimeHintsTests {

    private final RuntimeHints hints = registeredHints();

    @Test
    void registrarIsListedInAotFactories() {
        assertThat(SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
                .load(RuntimeHintsRegistrar.class)).hasAtLeastOneElementOfType(FalRuntimeHints.class);
    }

    @Test
    void versionResourceExistsAndIsIncluded() {
        assertThat(getClass().getClassLoader().getResource(FalRuntimeHints.VERSION_RESOURCE)).isNotNull();
        assertThat(RuntimeHintsPredicates.resource().forResource(FalRuntimeHints.VERSION_RESOURCE)).accepts(hints);
    }

    @Test
    void propertiesRecordsCanBeBoundByConstructor() throws Exception {
        for (Class<?> type : new Class<?>[] { FalProperties.class, FalProperties.Retry.class, FalProperties.Pool.class,
                FalProperties.Events.class, FalProperties.Metrics.class, FalProperties.Webhook.class }) {
            assertThat(RuntimeHintsPredicates.reflection().onType(type)).as(type.getName()).accepts(hints);
            assertThat(RuntimeHintsPredicates.reflection().onConstructorInvocation(type.getDeclaredConstructors()[0]))
                    .as(type.getName()).accepts(hints);
        }
    }

    @Test
    void jacksonMappedRecordsCanBeCreatedAndRead() throws Exception {
        Class<?> statusBody = ClassUtils.forName(FalRuntimeHints.ENGINE_JSON_TYPES.get(0), getClass().getClassLoader());
        for (Class<?> type : new Class<?>[] { FalRequest.class, FalWebhook.class, FieldError.class, statusBody }) {
            assertThat(RuntimeHintsPredicates.reflection().onType(type)).as(type.getName()).accepts(hints);
            assertThat(RuntimeHintsPredicates.reflection().onConstructorInvocation(type.getDeclaredConstructors()[0]))
                    .as(type.getName()).accepts(hints);
            String accessor = type.getRecordComponents()[0].getAccessor().getName();
            assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(type, accessor))
                    .as(type.getName() + "." + accessor).accepts(hints);
        }
    }

    private static RuntimeHints registeredHints() {
        RuntimeHints hints = new RuntimeHints();
        SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories").load(RuntimeHintsRegistrar.class)
                .forEach(registrar -> registrar.registerHints(hints, FalRuntimeHintsTests.class.getClassLoader()));
        return hints;
    }
}
