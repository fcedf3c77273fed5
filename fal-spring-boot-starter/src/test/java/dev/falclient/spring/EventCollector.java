package dev.falclient.spring;

import dev.falclient.spring.event.FalRequestEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.springframework.context.ApplicationListener;

/** Collects every fal event with the thread it was delivered on. */
public class EventCollector implements ApplicationListener<FalRequestEvent> {

    public final List<FalRequestEvent> events = new CopyOnWriteArrayList<>();
    public final List<String> threads = new CopyOnWriteArrayList<>();

    @Override
    public void onApplicationEvent(FalRequestEvent event) {
        threads.add(Thread.currentThread().getName());
        events.add(event);
    }

    /** Waits (bounded) until an event matches. */
    public void awaitEvent(Predicate<FalRequestEvent> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (events.stream().noneMatch(condition)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("No matching fal event within " + timeout + "; got " + events);
            }
            Thread.sleep(10);
        }
    }

    public List<String> names() {
        return events.stream().map(e -> e.getClass().getSimpleName()).toList();
    }
}
