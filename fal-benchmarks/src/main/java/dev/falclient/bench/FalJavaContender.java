package dev.falclient.bench;

import ai.fal.client.ClientConfig;
import ai.fal.client.CredentialsResolver;
import ai.fal.client.FalClient;
import ai.fal.client.Output;
import ai.fal.client.SubscribeOptions;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * fal's official Java client ({@code ai.fal.client:fal-client}) with its defaults. It has a fixed host list, so it
 * reaches the emulator only through its {@code proxyUrl} setting. Its API blocks, so {@code concurrency} jobs in
 * flight take as many threads (a fixed pool, kept from the warm-up to the measured run as an application would keep
 * it), each calling {@code subscribe} (submit, status stream, result) for one job after another.
 */
final class FalJavaContender implements Contender {

    private final FalClient fal;
    private final AtomicInteger threadIds = new AtomicInteger();
    private ExecutorService pool;
    private int poolSize;

    FalJavaContender(String proxyUrl, String key) {
        this.fal = FalClient.withConfig(ClientConfig.builder()
                .withCredentials(CredentialsResolver.fromApiKey(key))
                .withProxyUrl(proxyUrl)
                .build());
    }

    @Override
    public void run(int jobs, int concurrency, JobLog log, Duration deadline) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        int threads = Math.min(concurrency, jobs);
        CountDownLatch done = new CountDownLatch(threads);
        ExecutorService workers = pool(concurrency);
        for (int t = 0; t < threads; t++) {
            workers.execute(() -> {
                try {
                    for (int i = next.getAndIncrement(); i < jobs; i = next.getAndIncrement()) {
                        job(i, log);
                    }
                } finally {
                    done.countDown();
                }
            });
        }
        done.await(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Threads start as tasks arrive, so a warm-up with fewer jobs than {@code threads} starts fewer. */
    private ExecutorService pool(int threads) {
        if (pool == null || poolSize != threads) {
            if (pool != null) {
                pool.shutdown();
            }
            poolSize = threads;
            pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "fal-java-job-" + threadIds.incrementAndGet());
                // a job that never returns (fal-java has no deadline of its own) must not keep the JVM alive
                t.setDaemon(true);
                return t;
            });
        }
        return pool;
    }

    private void job(int i, JobLog log) {
        long start = System.nanoTime();
        try {
            Output<JsonObject> out = fal.subscribe(EmulatorProcess.ENDPOINT,
                    SubscribeOptions.withInput(Contender.input(i), JsonObject.class));
            JsonElement completedAt = out.getData().get(EmulatorProcess.COMPLETED_AT);
            log.succeeded(i, start, completedAt == null ? -1 : completedAt.getAsLong());
        } catch (RuntimeException | Error e) {
            log.failed(i, e);
        }
    }

    @Override
    public void close() {
        // fal-java has no close; its OkHttp threads are daemons and end with the JVM
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
