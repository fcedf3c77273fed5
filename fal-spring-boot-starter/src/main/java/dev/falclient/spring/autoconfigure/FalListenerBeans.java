package dev.falclient.spring.autoconfigure;

import dev.falclient.FalException;
import dev.falclient.FalRequest;
import dev.falclient.FalRequestListener;
import dev.falclient.RequestLog;
import dev.falclient.Status;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.beans.factory.ObjectProvider;
import tools.jackson.databind.JsonNode;

/**
 * Every {@link FalRequestListener} bean of the context, in {@code @Order} order, looked up on the first callback
 * rather than when the client is built, so that a listener may itself depend on the fal client without a
 * circular reference.
 */
final class FalListenerBeans implements FalRequestListener {

    private final ObjectProvider<FalRequestListener> provider;
    private volatile List<FalRequestListener> listeners;

    FalListenerBeans(ObjectProvider<FalRequestListener> provider) {
        this.provider = provider;
    }

    private void each(Consumer<FalRequestListener> call) {
        List<FalRequestListener> resolved = listeners;
        if (resolved == null) {
            resolved = provider.orderedStream().toList();
            listeners = resolved;
        }
        // the core isolates failures per registered listener; do the same per bean
        for (FalRequestListener listener : resolved) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(FalListenerBeans.class)
                        .warn("fal request listener {} failed", listener, e);
            }
        }
    }

    @Override
    public void onSubmitted(FalRequest request) {
        each(l -> l.onSubmitted(request));
    }

    @Override
    public void onStatusChanged(FalRequest request, Status status) {
        each(l -> l.onStatusChanged(request, status));
    }

    @Override
    public void onLogs(FalRequest request, List<RequestLog> newLogs) {
        each(l -> l.onLogs(request, newLogs));
    }

    @Override
    public void onResult(FalRequest request, JsonNode result) {
        each(l -> l.onResult(request, result));
    }

    @Override
    public void onFailed(FalRequest request, FalException error) {
        each(l -> l.onFailed(request, error));
    }

    @Override
    public void onCancelled(FalRequest request) {
        each(l -> l.onCancelled(request));
    }

    @Override
    public String toString() {
        return "FalListenerBeans" + (listeners == null ? "[unresolved]" : listeners);
    }
}
