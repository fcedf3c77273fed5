package dev.falclient.test;

import dev.falclient.emulator.FalEmulator;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.support.AbstractTestExecutionListener;

/**
 * Resets every {@link FalEmulator} singleton of a test's application context after each test method (scripts,
 * faults, recorded requests and webhooks, queues), so scripting cannot leak from one test into the next. It never
 * loads a context, and does nothing when the test's {@link AutoConfigureFalEmulator} sets
 * {@code resetAfterEachTest = false}. Registered in {@code META-INF/spring.factories}, so it is active in every
 * Spring test that uses the default listeners.
 */
public class FalEmulatorResetTestExecutionListener extends AbstractTestExecutionListener {

    /** Runs late (early in the after-test phase), like Spring Boot's mock reset listener. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 100;
    }

    @Override
    public void afterTestMethod(TestContext testContext) {
        AutoConfigureFalEmulator annotation =
                FalEmulatorContextCustomizerFactory.findAnnotation(testContext.getTestClass());
        if (annotation != null && !annotation.resetAfterEachTest()) {
            return;
        }
        if (!testContext.hasApplicationContext()) {
            return;
        }
        ApplicationContext context = testContext.getApplicationContext();
        if (!(context instanceof ConfigurableApplicationContext configurable)) {
            context.getBeanProvider(FalEmulator.class).forEach(FalEmulator::reset);
            return;
        }
        if (!configurable.isActive()) {
            return;
        }
        ConfigurableListableBeanFactory beanFactory = configurable.getBeanFactory();
        // only singletons that exist already: resetting must not create (or start) anything
        for (String name : beanFactory.getBeanNamesForType(FalEmulator.class, false, false)) {
            if (beanFactory.containsSingleton(name) && beanFactory.getSingleton(name) instanceof FalEmulator emulator) {
                emulator.reset();
            }
        }
    }
}
