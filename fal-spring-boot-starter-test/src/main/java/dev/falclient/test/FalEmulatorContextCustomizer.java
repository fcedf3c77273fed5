package dev.falclient.test;

import dev.falclient.FalCredentials;
import dev.falclient.emulator.FalEmulator;
import dev.falclient.settings.UrlSettings;
import dev.falclient.spring.autoconfigure.FalConnectionDetails;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionBuilder;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Starts a {@link FalEmulator} for one application context, registers it as the bean {@value #BEAN_NAME}, closes it
 * with the context, and points the starter at it: a primary {@link FalConnectionDetails} bean
 * {@value #CONNECTION_DETAILS_BEAN_NAME} (the emulator's URLs and the test's key; the starter's properties-backed
 * one backs off) and the property {@code fal.webhook.jwks-url}. Equality is that of the annotation attributes, so
 * that equally configured tests share a cached context.
 */
final class FalEmulatorContextCustomizer implements ContextCustomizer {

    /** Name of the emulator bean. */
    static final String BEAN_NAME = "falEmulator";

    /** Name of the emulator's connection details bean. */
    static final String CONNECTION_DETAILS_BEAN_NAME = "falEmulatorConnectionDetails";

    /** Name of the property source holding the emulator's JWKS URL. */
    static final String PROPERTY_SOURCE_NAME = "falEmulator";

    private final FalEmulatorSettings settings;

    FalEmulatorContextCustomizer(FalEmulatorSettings settings) {
        this.settings = settings;
    }

    FalEmulatorSettings settings() {
        return settings;
    }

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
        FalEmulator emulator = settings.start();
        try {
            ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
            beanFactory.registerSingleton(BEAN_NAME, emulator);
            if (beanFactory instanceof DefaultSingletonBeanRegistry registry) {
                // destroyed with the singletons, also when the refresh fails; registered first, so it is closed
                // after the beans that use it (the fal client)
                registry.registerDisposableBean(BEAN_NAME, emulator::close);
            } else {
                context.addApplicationListener(event -> {
                    if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == context) {
                        emulator.close();
                    }
                });
            }
            registerConnectionDetails(beanFactory, FalConnectionDetails.of(FalCredentials.key(settings.key()),
                    new UrlSettings(emulator.queueUrl(), emulator.runUrl(), emulator.restUrl(), emulator.cdnUrl())));
            context.getEnvironment().getPropertySources()
                    .addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, properties(emulator)));
        } catch (RuntimeException e) {
            emulator.close();
            throw e;
        }
    }

    /**
     * Primary, so that the emulator wins over connection details the application defines itself (e.g. a key from a
     * secret manager), as a test of that application expects.
     */
    private static void registerConnectionDetails(ConfigurableListableBeanFactory beanFactory,
                                                  FalConnectionDetails details) {
        if (beanFactory instanceof BeanDefinitionRegistry registry) {
            AbstractBeanDefinition definition = BeanDefinitionBuilder
                    .genericBeanDefinition(FalConnectionDetails.class, () -> details)
                    .setPrimary(true)
                    .getBeanDefinition();
            registry.registerBeanDefinition(CONNECTION_DETAILS_BEAN_NAME, definition);
        } else {
            beanFactory.registerSingleton(CONNECTION_DETAILS_BEAN_NAME, details);
        }
    }

    Map<String, Object> properties(FalEmulator emulator) {
        Map<String, Object> properties = new LinkedHashMap<>();
        // the starter's webhook receiver trusts the key that signs the emulator's deliveries
        properties.put("fal.webhook.jwks-url", emulator.jwksUrl());
        return properties;
    }

    @Override
    public boolean equals(Object other) {
        return this == other || other instanceof FalEmulatorContextCustomizer customizer
                && settings.equals(customizer.settings);
    }

    @Override
    public int hashCode() {
        return settings.hashCode();
    }

    @Override
    public String toString() {
        return "FalEmulatorContextCustomizer" + settings;
    }
}
