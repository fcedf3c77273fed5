package dev.falclient.internal.queue;

import dev.falclient.Status;
import dev.falclient.StatusMode;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * How one subscribe waits.
 *
 * @param mode          {@code null}: the client's default
 * @param pollInterval  {@code null}: the client's default
 * @param clientTimeout {@code null}: the client's wait timeout, after which the client stops waiting but does not
 *                      cancel; when set, the request is cancelled on fal once it passes
 */
public record WaitSpec(boolean withLogs, StatusMode mode, Duration pollInterval, Consumer<String> onEnqueue,
                       Consumer<Status> onQueueUpdate, Duration clientTimeout) {
}
