package dev.falclient.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.falclient.FalClient;
import dev.falclient.spring.EmulatorTestBase;
import dev.falclient.spring.EventCollector;
import dev.falclient.spring.event.FalRequestResultEvent;
import io.micrometer.context.ContextRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The listener executor: a bounded Boot-built pool named {@code fal-events-*} that propagates context, does not
 * shadow the application's task executor, and is replaced by a bean named
 * {@value FalAutoConfiguration#LISTENER_EXECUTOR_BEAN_NAME}.
 */
class FalListenerExecutorTests extends EmulatorTestBase {

    private static final ThreadLocal<String> TRACE = new ThreadLocal<>();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(FalAutoConfigurationTests.UPSTREAM)
            .withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class,
                    FalAutoConfiguration.class));

    @Test
    void defaultIsABoundedBootPoolThatLeavesTheApplicationTaskExecutorInPlace() {
        runner.withPropertyValues("fal.events.threads=3", "fal.events.queue-capacity=7").run(context -> {
            ThreadPoolTaskExecutor executor = context.getBean(FalAutoConfiguration.LISTENER_EXECUTOR_BEAN_NAME,
                    ThreadPoolTaskExecutor.class);
            assertThat(executor.getCorePoolSize()).isEqualTo(3);
            assertThat(executor.getMaxPoolSize()).isEqualTo(3);
            assertThat(executor.getQueueCapacity()).isEqualTo(7);
            assertThat(executor.getThreadNamePrefix()).isEqualTo("fal-events-");
            // not a default candidate: Boot still creates its executor, and injecting an Executor is not ambiguous
            assertThat(context).hasBean("applicationTaskExecutor");
            assertThat(context.getBeanProvider(Executor.class).getIfUnique())
                    .isSameAs(context.getBean("applicationTaskExecutor"));
        });
    }

    @Test
    void aFullQueueRejectsInsteadOfRunningOnTheCaller() {
        runner.withPropertyValues("fal.events.threads=1", "fal.events.queue-capacity=1").run(context -> {
            Executor executor = context.getBean(FalAutoConfiguration.LISTENER_EXECUTOR_BEAN_NAME, Executor.class);
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch started = new CountDownLatch(1);
            executor.execute(() -> {
                started.countDown();
                awaitQuietly(release);
            });
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
            executor.execute(() -> { });
            AtomicReference<String> ranOn = new AtomicReference<>();
            try {
                assertThatThrownBy(() -> executor.execute(() -> ranOn.set(Thread.currentThread().getName())))
                        .isInstanceOf(RejectedExecutionException.class);
                assertThat(ranOn).hasNullValue();
            } finally {
                release.countDown();
            }
        });
    }

    @Test
    void contextOfTheSubmittingThreadReachesTheDeliveryThread() {
        ContextRegistry.getInstance().registerThreadLocalAccessor("fal-test-trace", TRACE::get, TRACE::set,
                TRACE::remove);
        try {
            runner.run(context -> {
                Executor executor = context.getBean(FalAutoConfiguration.LISTENER_EXECUTOR_BEAN_NAME,
                        Executor.class);
                AtomicReference<String> seen = new AtomicReference<>();
                TRACE.set("trace-42");
                try {
                    executor.execute(() -> seen.set(TRACE.get() + " on " + Thread.currentThread().getName()));
                } finally {
                    TRACE.remove();
                }
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(seen.get())
                        .startsWith("trace-42 on fal-events-"));
            });
        } finally {
            ContextRegistry.getInstance().removeThreadLocalAccessor("fal-test-trace");
        }
    }

    @Test
    void withoutTheContextPropagationLibraryThePoolStillWorks() {
        runner.withClassLoader(new FilteredClassLoader("io.micrometer.context")).run(context -> {
            Executor executor = context.getBean(FalAutoConfiguration.LISTENER_EXECUTOR_BEAN_NAME, Executor.class);
            AtomicReference<String> thread = new AtomicReference<>();
            executor.execute(() -> thread.set(Thread.currentThread().getName()));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(thread.get())
                    .startsWith("fal-events-"));
        });
    }

    @Test
    void anExecutorBeanOfTheDocumentedNameReplacesThePoolForEveryEvent() {
        runner.withUserConfiguration(OwnExecutor.class).withBean(EventCollector.class)
                .withPropertyValues(emulatorProperties("executor-test-key"))
                .run(context -> {
                    assertThat(context.getBean(FalAutoConfiguration.LISTENER_EXECUTOR_BEAN_NAME))
                            .isSameAs(context.getBean(OwnExecutor.class).executor);
                    context.getBean(FalClient.class).subscribe("fal-ai/fast-sdxl", Map.of("prompt", "own pool"));
                    EventCollector events = context.getBean(EventCollector.class);
                    events.awaitEvent(FalRequestResultEvent.class::isInstance, Duration.ofSeconds(5));
                    assertThat(events.threads).isNotEmpty()
                            .allSatisfy(thread -> assertThat(thread).startsWith("my-events-"));
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnExecutor {

        final ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();

        @Bean(name = FalAutoConfiguration.LISTENER_EXECUTOR_BEAN_NAME, defaultCandidate = false)
        ThreadPoolTaskExecutor falListenerExecutor() {
            executor.setThreadNamePrefix("my-events-");
            executor.setCorePoolSize(2);
            executor.setQueueCapacity(100);
            return executor;
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
