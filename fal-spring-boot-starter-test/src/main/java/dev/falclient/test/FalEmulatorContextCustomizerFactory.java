package dev.falclient.test;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Creates a {@link FalEmulatorContextCustomizer} for test classes annotated (directly, through a meta-annotation,
 * a superclass or an enclosing class) with {@link AutoConfigureFalEmulator}. Registered in
 * {@code META-INF/spring.factories}.
 */
class FalEmulatorContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
            List<ContextConfigurationAttributes> configAttributes) {
        AutoConfigureFalEmulator annotation = findAnnotation(testClass);
        return annotation == null ? null : new FalEmulatorContextCustomizer(FalEmulatorSettings.of(annotation));
    }

    static @Nullable AutoConfigureFalEmulator findAnnotation(Class<?> testClass) {
        return TestContextAnnotationUtils.findMergedAnnotation(testClass, AutoConfigureFalEmulator.class);
    }
}
