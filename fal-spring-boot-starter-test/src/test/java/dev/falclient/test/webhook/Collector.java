package dev.falclient.test.webhook;

import dev.falclient.spring.event.FalRequestEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.context.ApplicationListener;

/** Collects the fal events of one application. */
class Collector implements ApplicationListener<FalRequestEvent> {

    final List<FalRequestEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onApplicationEvent(FalRequestEvent event) {
        events.add(event);
    }

    List<String> namesFor(String requestId) {
        return events.stream().filter(e -> e.getRequestId().equals(requestId))
                .map(e -> e.getClass().getSimpleName()).toList();
    }
}
