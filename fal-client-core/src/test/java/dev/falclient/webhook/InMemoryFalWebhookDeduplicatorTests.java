package dev.falclient.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InMemoryFalWebhookDeduplicatorTests {

    @Test
    void onlyTheFirstDeliveryOfARequestIsFirst() {
        FalWebhookDeduplicator dedup = new InMemoryFalWebhookDeduplicator(10);
        assertThat(dedup.firstDelivery("a")).isTrue();
        assertThat(dedup.firstDelivery("a")).isFalse();
        assertThat(dedup.firstDelivery("b")).isTrue();
    }

    @Test
    void forgottenRequestIsHandledAgain() {
        FalWebhookDeduplicator dedup = new InMemoryFalWebhookDeduplicator(10);
        dedup.firstDelivery("a");
        dedup.forget("a");
        assertThat(dedup.firstDelivery("a")).isTrue();
    }

    @Test
    void windowIsBoundedOldestFirst() {
        FalWebhookDeduplicator dedup = new InMemoryFalWebhookDeduplicator(2);
        dedup.firstDelivery("a");
        dedup.firstDelivery("b");
        dedup.firstDelivery("c");
        assertThat(dedup.firstDelivery("a")).isTrue();
        assertThat(dedup.firstDelivery("c")).isFalse();
    }

    @Test
    void capacityMustBePositive() {
        assertThatThrownBy(() -> new InMemoryFalWebhookDeduplicator(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
