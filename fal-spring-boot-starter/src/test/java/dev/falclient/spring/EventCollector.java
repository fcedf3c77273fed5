package dev.falclient.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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

    /** Waits, at most {@code timeout}, until an event matches (events arrive on the {@code fal-events} threads). */
    public void awaitEvent(Predicate<FalRequestEvent> condition, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(10))
                .untilAsserted(() -> assertThat(events).as("fal events").anyMatch(condition));
    }

    public List<String> names() {
        return events.stream().map(e -> e.getClass().getSimpleName()).toList();
    }
}
