package dev.falclient.spring.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.falclient.Completed;
import dev.falclient.FalRequest;
import dev.falclient.FalException;
import dev.falclient.webhook.FalWebhook;
import dev.falclient.webhook.FalWebhookStatus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** A request both watched by the client and delivered by webhook gives each event once. */
class FalEventPublisherWebhookTests {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final FalRequest REQUEST = new FalRequest("fal-ai/flux/dev", "r1");
    private static final Completed COMPLETED = new Completed(List.of(), Map.of(), null, null);

    private final List<Object> published = new CopyOnWriteArrayList<>();
    private final FalEventPublisher publisher = new FalEventPublisher(published::add);

    private static FalWebhook ok() {
        return new FalWebhook("r1", "g", FalWebhookStatus.OK, MAPPER.readTree("{\"seed\":1}"), null, null);
    }

    private List<String> names() {
        return published.stream().map(e -> e.getClass().getSimpleName()).toList();
    }

    @Test
    void webhookAfterTheWatchedResultPublishesNothingMore() {
        publisher.onSubmitted(REQUEST);
        publisher.onStatusChanged(REQUEST, COMPLETED);
        publisher.onResult(REQUEST, MAPPER.readTree("{\"seed\":1}"));
        publisher.onWebhook(ok());
        assertThat(names()).containsExactly("FalRequestSubmittedEvent", "FalRequestCompletedEvent",
                "FalRequestResultEvent");
    }

    @Test
    void watchedResultAfterTheWebhookPublishesNothingMoreAndTheWebhookKnowsTheEndpoint() {
        publisher.onSubmitted(REQUEST);
        publisher.onWebhook(ok());
        publisher.onStatusChanged(REQUEST, COMPLETED);
        publisher.onResult(REQUEST, MAPPER.readTree("{\"seed\":1}"));
        assertThat(names()).containsExactly("FalRequestSubmittedEvent", "FalRequestCompletedEvent",
                "FalRequestResultEvent");
        assertThat(((FalRequestResultEvent) published.get(2)).getEndpointId()).isEqualTo("fal-ai/flux/dev");
    }

    @Test
    void webhookResultStillFollowsAFailureOfTheClientsOwnWait() {
        publisher.onFailed(REQUEST, new FalException("gave up waiting", "r1"));
        publisher.onWebhook(ok());
        assertThat(names()).containsExactly("FalRequestFailedEvent", "FalRequestCompletedEvent",
                "FalRequestResultEvent");
    }

    @Test
    void webhookWithoutAPayloadPublishesOnlyTheCompletion() {
        publisher.onWebhook(new FalWebhook("r1", "g", FalWebhookStatus.OK, null, null, "not JSON serializable"));
        assertThat(names()).containsExactly("FalRequestCompletedEvent");
    }
}
