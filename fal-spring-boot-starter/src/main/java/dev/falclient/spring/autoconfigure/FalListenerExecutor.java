package dev.falclient.spring.autoconfigure;

import java.time.Duration;
import org.springframework.boot.task.ThreadPoolTaskExecutorBuilder;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.util.ClassUtils;

/**
 * Builds the starter's default listener executor, the bean {@value FalAutoConfiguration#LISTENER_EXECUTOR_BEAN_NAME}:
 * a Boot {@link ThreadPoolTaskExecutorBuilder} pool of {@code fal.events.threads} daemon threads named
 * {@code fal-events-*} with a queue of {@code fal.events.queue-capacity} tasks (beyond it a task is rejected, never run
 * on the calling thread, which may be a Netty event loop). With {@code io.micrometer:context-propagation} on the
 * class path, a {@link ContextPropagatingTaskDecorator} carries the submitting thread's context (MDC, trace) onto the
 * delivery thread. At shutdown it lets queued deliveries finish, for at most five seconds.
 */
final class FalListenerExecutor {

    static final String THREAD_PREFIX = "fal-events-";

    private static final String CONTEXT_PROPAGATION = "io.micrometer.context.ContextSnapshotFactory";
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(60);

    private FalListenerExecutor() {
    }

    static ThreadPoolTaskExecutor build(FalProperties.Events events, ClassLoader classLoader) {
        ThreadPoolTaskExecutorBuilder builder = new ThreadPoolTaskExecutorBuilder()
                .corePoolSize(events.threads())
                .maxPoolSize(events.threads())
                .allowCoreThreadTimeOut(true)
                .keepAlive(KEEP_ALIVE)
                .queueCapacity(events.queueCapacity())
                .threadNamePrefix(THREAD_PREFIX)
                // late shutdown: deliveries are accepted until the client (which depends on this bean) is closed
                .awaitTermination(true)
                .awaitTerminationPeriod(SHUTDOWN_GRACE)
                .customizers(executor -> executor.setDaemon(true));
        if (ClassUtils.isPresent(CONTEXT_PROPAGATION, classLoader)) {
            builder = builder.taskDecorator(new ContextPropagatingTaskDecorator());
        }
        return builder.build();
    }
}
