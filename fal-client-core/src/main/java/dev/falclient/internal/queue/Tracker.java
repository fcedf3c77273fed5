package dev.falclient.internal.queue;

import dev.falclient.FalRequest;
import dev.falclient.internal.ApiFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;

/** Background tracking: a bounded number of submitted requests watched until they complete. */
final class Tracker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Tracker.class);

    private final int maxTracked;
    private final ApiFactory api;
    private final Disposable.Composite tracked = Disposables.composite();
    private final AtomicInteger count = new AtomicInteger();

    Tracker(int maxTracked, ApiFactory api) {
        this.maxTracked = maxTracked;
        this.api = api;
    }

    /**
     * Takes a tracking slot before {@code submit} runs (failing without submitting when none is free) and starts
     * {@code await} on the submitted request. The slot is released before the caller sees a failed submit.
     */
    Mono<FalRequest> submitTracked(Mono<FalRequest> submit, Function<FalRequest, Mono<?>> await) {
        return Mono.defer(() -> {
            if (count.incrementAndGet() > maxTracked) {
                count.decrementAndGet();
                return Mono.error(api.failure("Not submitted: " + maxTracked + " requests are already tracked in "
                        + "the background (raise maxTrackedRequests, Spring: fal.events.max-tracked-requests, or "
                        + "submit without tracking)", null, null, false));
            }
            AtomicBoolean handedOver = new AtomicBoolean();
            Runnable release = () -> {
                if (handedOver.compareAndSet(false, true)) {
                    count.decrementAndGet();
                }
            };
            return submit.doOnNext(request -> {
                handedOver.set(true);
                track(request, await.apply(request));
            }).doOnError(e -> release.run()).doFinally(signal -> release.run());
        });
    }

    private void track(FalRequest request, Mono<?> await) {
        AtomicReference<Disposable> self = new AtomicReference<>();
        Disposable subscription = await
                .doFinally(signal -> {
                    count.decrementAndGet();
                    Disposable d = self.get();
                    if (d != null) {
                        tracked.remove(d);
                    }
                })
                .subscribe(result -> { }, error -> log.debug("Tracking of {} ended with {}", request.requestId(),
                        error.toString()));
        self.set(subscription);
        if (!subscription.isDisposed()) {
            tracked.add(subscription);
        }
    }

    @Override
    public void close() {
        tracked.dispose();
    }
}
