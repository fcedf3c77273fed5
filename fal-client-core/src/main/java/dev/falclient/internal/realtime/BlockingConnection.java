package dev.falclient.internal.realtime;

import dev.falclient.realtime.AsyncFalRealtime;
import dev.falclient.realtime.FalRealtimeConnection;
import dev.falclient.realtime.FalRealtimeException;
import dev.falclient.realtime.RealtimeOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

/**
 * The blocking face over the reactive one: {@code send} feeds a sink the connection drains as its socket takes
 * inputs, and outputs wait in a queue that is only refilled as {@code receive} takes them (or go to a callback on a
 * worker thread), so neither side buffers without bound.
 */
final class BlockingConnection implements FalRealtimeConnection {

    /** Outputs read ahead of {@code receive}. */
    private static final int READ_AHEAD = 32;
    private static final Object END = new Object();

    private final Sinks.Many<Object> inputs = Sinks.many().unicast().onBackpressureBuffer();
    private final @Nullable Semaphore room;
    private final LinkedBlockingQueue<Object> outputs = new LinkedBlockingQueue<>();
    private final boolean callback;
    private final Receiver receiver = new Receiver();
    private volatile @Nullable Throwable failure;
    private volatile boolean ended;
    private volatile boolean closed;
    private @Nullable Disposable subscription;

    private BlockingConnection(RealtimeOptions options, boolean callback) {
        this.room = options.latestInputWins() ? null : new Semaphore(options.maxPendingInputs());
        this.callback = callback;
    }

    static BlockingConnection open(AsyncFalRealtime realtime, String endpointId, RealtimeOptions options,
                                   @Nullable Consumer<? super JsonNode> onOutput) {
        BlockingConnection connection = new BlockingConnection(options, onOutput != null);
        Flux<Object> sent = connection.inputs.asFlux().doOnNext(input -> connection.taken());
        Flux<JsonNode> received = realtime.connect(endpointId, sent, options);
        if (onOutput == null) {
            connection.subscription = received.subscribeWith(connection.receiver);
        } else {
            connection.subscription = received.publishOn(Schedulers.boundedElastic(), READ_AHEAD)
                    .subscribe(onOutput::accept, connection::failed, connection::completed);
        }
        return connection;
    }

    @Override
    public synchronized void send(Object input, Duration timeout) {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(timeout, "timeout");
        if (closed) {
            throw new IllegalStateException("this realtime connection is closed");
        }
        throwIfFailed();
        if (ended) {
            throw new IllegalStateException("this realtime connection has ended: fal closed it and it does not "
                    + "reconnect (RealtimeOptions.reconnectWhenIdle); open a new one");
        }
        if (room != null && !room.tryAcquire()) {
            requireBlockingThread();
            try {
                if (!room.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                    throwIfFailed();
                    throw new FalRealtimeException("SEND_TIMEOUT", "no room for the input within " + timeout
                            + ": the socket is not taking inputs as fast as they are sent", 0, 0, null);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting to send", e);
            }
        }
        inputs.emitNext(input, Sinks.EmitFailureHandler.FAIL_FAST);
    }

    @Override
    public Optional<JsonNode> receive(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (callback) {
            throw new IllegalStateException("outputs of this connection go to its callback");
        }
        Object next = outputs.poll();
        if (next == null && !ended) {
            requireBlockingThread();
            try {
                next = outputs.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for an output", e);
            }
        }
        if (next == null || next == END) {
            if (next == END) {
                outputs.offer(END);
            }
            throwIfFailed();
            return Optional.empty();
        }
        receiver.request(1);
        return Optional.of((JsonNode) next);
    }

    @Override
    public boolean isOpen() {
        return !closed && !ended;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        inputs.tryEmitComplete();
        Disposable current = subscription;
        if (current != null) {
            current.dispose();
        }
        ended = true;
        outputs.offer(END);
    }

    private void taken() {
        if (room != null) {
            room.release();
        }
    }

    private void failed(Throwable e) {
        failure = e;
        completed();
    }

    private void completed() {
        ended = true;
        outputs.offer(END);
        if (room != null) {
            // wake a sender waiting for room: the connection will take nothing more
            room.release(Integer.MAX_VALUE / 2);
        }
    }

    private void throwIfFailed() {
        Throwable e = failure;
        if (e instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (e != null) {
            throw new FalRealtimeException(FalRealtimeException.CONNECTION_CLOSED, String.valueOf(e.getMessage()),
                    0, 0, e);
        }
    }

    private static void requireBlockingThread() {
        if (Schedulers.isInNonBlockingThread()) {
            throw new IllegalStateException("a blocking realtime call on a non-blocking thread ("
                    + Thread.currentThread().getName() + ") would stall I/O; use the reactive AsyncFalRealtime here");
        }
    }

    /** Feeds {@code receive}: asks the connection for one output per output taken. */
    private final class Receiver extends BaseSubscriber<JsonNode> {
        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            subscription.request(READ_AHEAD);
        }

        @Override
        protected void hookOnNext(JsonNode output) {
            outputs.offer(output);
        }

        @Override
        protected void hookOnError(Throwable e) {
            failed(e);
        }

        @Override
        protected void hookOnComplete() {
            completed();
        }
    }
}
