package dev.falclient.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.falclient.Completed;
import dev.falclient.FalRequest;
import dev.falclient.Queued;
import dev.falclient.spring.event.FalRequestCancelledEvent;
import dev.falclient.spring.event.FalRequestCompletedEvent;
import dev.falclient.spring.event.FalRequestQueuedEvent;
import dev.falclient.spring.event.FalRequestResultEvent;
import dev.falclient.spring.event.FalRequestSubmittedEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import tools.jackson.databind.json.JsonMapper;

class GenerationEventStoreTests {

    private static final Duration BOUND = Duration.ofSeconds(5);

    private GenerationEventStore store = new GenerationEventStore(properties(Map.of()));

    @AfterEach
    void close() {
        store.destroy();
    }

    @Test
    void lateSubscribersGetTheReplayAndTheStreamEndsAfterTheResult() {
        FalRequest r = new FalRequest("fal-ai/fast-sdxl", "r1");
        store.register("r1", "fal-ai/fast-sdxl");
        store.on(new FalRequestSubmittedEvent(r));
        store.on(new FalRequestQueuedEvent(r, new Queued(1)));
        store.on(new FalRequestQueuedEvent(r, new Queued(0)));
        store.on(new FalRequestCompletedEvent(r, new Completed(List.of(), Map.of("inference_time", 2.5), null, null)));
        store.on(new FalRequestResultEvent(r, JsonMapper.builder().build()
                .readTree("{\"images\":[{\"url\":\"http://x/1.png\"}]}")));
        store.on(new FalRequestCancelledEvent(r)); // after the terminal event: ignored

        List<GenerationEvent> events = store.events("r1").orElseThrow().collectList().block(BOUND);
        assertThat(events).extracting(GenerationEvent::type)
                .containsExactly("submitted", "queued", "queued", "completed", "result");
        assertThat(events).extracting(GenerationEvent::id).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(events.get(2).position()).isZero();
        assertThat(events.get(3).inferenceTime()).isEqualTo(2.5);
        assertThat(events.get(4).imageUrl()).isEqualTo("http://x/1.png");
        assertThat(store.endpointOf("r1")).hasValue("fal-ai/fast-sdxl");
        assertThat(store.isCancelled("r1")).isFalse();
    }

    @Test
    void aCancelledCompletionEndsTheStreamAsCancelled() {
        FalRequest r = new FalRequest("fal-ai/fast-sdxl", "r2");
        store.on(new FalRequestCompletedEvent(r, new Completed(List.of(), Map.of(), "Cancelled", "client_cancelled")));
        assertThat(store.events("r2").orElseThrow().collectList().block(BOUND))
                .extracting(GenerationEvent::type).containsExactly("completed", "cancelled");
        assertThat(store.isCancelled("r2")).isTrue();
    }

    @Test
    void finishedRequestsAreEvictedAfterTheRetentionAndTheCountIsCapped() {
        store.destroy();
        store = new GenerationEventStore(properties(Map.of("sample.events.retention", "1m",
                "sample.events.max-requests", "3", "sample.events.max-age", "1h")));
        FalRequest done = new FalRequest("e/p", "done");
        store.on(new FalRequestCancelledEvent(done));
        store.register("open", "e/p");
        store.evict(Instant.now());
        assertThat(store.knows("done")).isTrue();

        store.evict(Instant.now().plus(Duration.ofMinutes(2)));
        assertThat(store.knows("done")).isFalse();
        assertThat(store.knows("open")).isTrue();

        for (int i = 0; i < 5; i++) {
            store.register("r" + i, "e/p");
        }
        assertThat(store.size()).isEqualTo(3);
        assertThat(store.knows("open")).as("oldest goes first").isFalse();

        store.evict(Instant.now().plus(Duration.ofHours(2)));
        assertThat(store.size()).as("unfinished ones expire after max-age").isZero();
    }

    @Test
    void replayIsBounded() {
        store.destroy();
        store = new GenerationEventStore(properties(Map.of("sample.events.replay-size", "2")));
        FalRequest r = new FalRequest("e/p", "r3");
        for (int i = 5; i >= 0; i--) {
            store.on(new FalRequestQueuedEvent(r, new Queued(i)));
        }
        store.on(new FalRequestCancelledEvent(r));
        assertThat(store.events("r3").orElseThrow().collectList().block(BOUND))
                .extracting(GenerationEvent::type).containsExactly("queued", "cancelled");
    }

    private static SampleProperties properties(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("sample", SampleProperties.class);
    }
}
