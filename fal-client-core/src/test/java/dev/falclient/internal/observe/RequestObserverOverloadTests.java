package dev.falclient.internal.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.falclient.FalRequest;
import dev.falclient.FalRequestListener;
import dev.falclient.Queued;
import dev.falclient.Status;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What the observer does with callbacks its executor rejects: drop and count them, never run them on the caller. */
class RequestObserverOverloadTests {

    private static final FalRequest REQUEST = new FalRequest("fal-ai/flux/dev", "r1");

    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final FalRequestListener listener = new FalRequestListener() {
        @Override
        public void onStatusChanged(FalRequest request, Status status) {
            seen.add(status + " on " + Thread.currentThread().getName());
        }
    };

    @Test
    void rejectedCallbacksAreCountedAndNeverRunOnTheCallingThread() {
        Executor rejecting = task -> {
            throw new RejectedExecutionException("full");
        };
        RequestObserver observer = new RequestObserver(List.of(listener), rejecting, 100);
        observer.status(REQUEST, new Queued(2));
        observer.status(REQUEST, new Queued(1));
        assertThat(seen).isEmpty();
        assertThat(observer.droppedCallbacks()).isEqualTo(2);
    }

    @Test
    void onlyTheRejectedCallbackIsLostAndLaterOnesKeepTheirOrder() {
        List<Runnable> accepted = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        Executor rejectsFirst = task -> {
            if (calls.getAndIncrement() == 0) {
                throw new RejectedExecutionException("full");
            }
            accepted.add(task);
        };
        RequestObserver observer = new RequestObserver(List.of(listener), rejectsFirst, 100);
        observer.status(REQUEST, new Queued(3)); // rejected: dropped
        observer.status(REQUEST, new Queued(2)); // accepted: a drain is scheduled
        observer.status(REQUEST, new Queued(1)); // waits behind it
        assertThat(seen).isEmpty();
        accepted.forEach(Runnable::run);
        String thread = Thread.currentThread().getName();
        assertThat(seen).containsExactly("Queued[position=2] on " + thread, "Queued[position=1] on " + thread);
        assertThat(observer.droppedCallbacks()).isOne();
    }

    @Test
    void afterARejectionTheNextWaitingTaskIsOfferedAgain() {
        List<String> ran = new CopyOnWriteArrayList<>();
        List<Runnable> accepted = new CopyOnWriteArrayList<>();
        AtomicInteger drops = new AtomicInteger();
        SerialExecutor[] serial = new SerialExecutor[1];
        AtomicInteger calls = new AtomicInteger();
        Executor delegate = drain -> {
            if (calls.getAndIncrement() == 0) {
                // another thread hands over a task while this one still owns the queue
                serial[0].execute(() -> ran.add("second"));
                throw new RejectedExecutionException("full");
            }
            accepted.add(drain);
        };
        serial[0] = new SerialExecutor(delegate, drops::incrementAndGet);
        serial[0].execute(() -> ran.add("first"));
        assertThat(drops).hasValue(1);
        assertThat(ran).isEmpty();
        assertThat(accepted).hasSize(1);
        accepted.get(0).run();
        assertThat(ran).containsExactly("second");
    }
}
