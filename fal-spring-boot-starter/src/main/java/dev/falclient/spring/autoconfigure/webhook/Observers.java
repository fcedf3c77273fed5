package dev.falclient.spring.autoconfigure.webhook;

import dev.falclient.spring.webhook.FalWebhookObserver;
import dev.falclient.webhook.FalWebhook;
import java.util.List;

/** Every {@link FalWebhookObserver} bean as one. */
record Observers(List<FalWebhookObserver> all) implements FalWebhookObserver {

    @Override
    public void received(FalWebhook webhook) {
        all.forEach(o -> o.received(webhook));
    }

    @Override
    public void duplicate(FalWebhook webhook) {
        all.forEach(o -> o.duplicate(webhook));
    }

    @Override
    public void rejected(String reason) {
        all.forEach(o -> o.rejected(reason));
    }
}
