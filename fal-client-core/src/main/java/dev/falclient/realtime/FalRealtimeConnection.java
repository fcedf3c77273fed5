package dev.falclient.realtime;

import java.time.Duration;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * An open realtime connection (blocking face). Thread-safe. Close it, or use try-with-resources.
 *
 * <pre>{@code
 * connection.send(Map.of("prompt", "a cat"));
 * Optional<JsonNode> output = connection.receive(Duration.ofSeconds(5));
 * }</pre>
 */
public interface FalRealtimeConnection extends AutoCloseable {

    /**
     * Queues an input for sending. Returns at once while fewer than {@link RealtimeOptions#maxPendingInputs()} wait
     * (always, with {@link RealtimeOptions#latestInputWins()}); otherwise waits up to {@code timeout} for room.
     *
     * @throws FalRealtimeException if the connection failed or there was no room in time
     * @throws IllegalStateException if the connection was closed
     */
    void send(Object input, Duration timeout);

    /** {@link #send(Object, Duration)} waiting up to 30 seconds for room. */
    default void send(Object input) {
        send(input, Duration.ofSeconds(30));
    }

    /**
     * The next output, waiting up to {@code timeout}; empty if none came in time or the connection has ended
     * normally (see {@link #isOpen()}).
     *
     * @throws FalRealtimeException if the connection failed
     * @throws IllegalStateException if outputs go to a callback
     */
    Optional<JsonNode> receive(Duration timeout);

    /** Whether the connection may still deliver outputs: not closed, failed or ended by fal. */
    boolean isOpen();

    /** Closes the socket normally; outputs not yet received are dropped. Idempotent. */
    @Override
    void close();
}
