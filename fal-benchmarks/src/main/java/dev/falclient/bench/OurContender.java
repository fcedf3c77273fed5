package dev.falclient.bench;

import dev.falclient.AsyncFalClient;
import dev.falclient.StatusMode;
import java.time.Duration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Our {@link AsyncFalClient}, configured only by its URLs, key and status mode; everything else is its default. */
final class OurContender implements Contender {

    private final AsyncFalClient fal;

    OurContender(String baseUrl, String key, StatusMode mode) {
        this.fal = AsyncFalClient.builder().key(key)
                .queueUrl(baseUrl + "/queue").runUrl(baseUrl + "/run")
                .statusMode(mode)
                .build();
    }

    @Override
    public void run(int jobs, int concurrency, JobLog log, Duration deadline) {
        Flux<Void> all = Flux.range(0, jobs).flatMap(i -> Mono.defer(() -> {
            long start = System.nanoTime();
            return fal.subscribe(EmulatorProcess.ENDPOINT, Contender.input(i))
                    .doOnNext(out -> log.succeeded(i, start, out.path(EmulatorProcess.COMPLETED_AT).asLong(-1)))
                    .switchIfEmpty(Mono.fromRunnable(() -> log.failed(i, new IllegalStateException("no result"))))
                    .onErrorResume(e -> {
                        log.failed(i, e);
                        return Mono.empty();
                    })
                    .then();
        }), concurrency);
        try {
            all.then().block(deadline);
        } catch (IllegalStateException timedOut) {
            // the jobs that did not end count as failed
        }
    }

    @Override
    public void close() {
        fal.close();
    }
}
