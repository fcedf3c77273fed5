package dev.falclient;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.falclient.FalTestSupport.await;
import static dev.falclient.FalTestSupport.builder;
import static dev.falclient.FalTestSupport.queued;
import static dev.falclient.FalTestSupport.statusStub;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An overloaded listener executor: callbacks it rejects are dropped, never run on the thread that observed the
 * status (a Reactor Netty event loop here, since the statuses come from WireMock over real HTTP), and the callbacks
 * it accepts keep their per-request order.
 */
@WireMockTest
class ListenerOverloadTests {

    private static final String APP = "fal-ai/flux";

    @Test
    void aFullExecutorDropsCallbacksInsteadOfRunningThemOnTheEventLoop(WireMockRuntimeInfo wm) {
        stubFor(statusStub(APP, "a").inScenario("a").whenScenarioStateIs(STARTED).willSetStateTo("2")
                .willReturn(okJson(queued(3))));
        stubFor(statusStub(APP, "a").inScenario("a").whenScenarioStateIs("2").willSetStateTo("1")
                .willReturn(okJson(queued(2))));
        stubFor(statusStub(APP, "a").inScenario("a").whenScenarioStateIs("1").willReturn(okJson(queued(1))));
        stubFor(statusStub(APP, "b").willReturn(okJson(queued(5))));
        stubFor(statusStub(APP, "c").willReturn(okJson(queued(6))));

        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger rejected = new AtomicInteger();
        // one thread, one waiting task, then rejection
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1),
                task -> new Thread(task, "listener-1"), (task, pool) -> {
                    rejected.incrementAndGet();
                    throw new RejectedExecutionException("full");
                });
        Map<String, List<Integer>> positions = new ConcurrentHashMap<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        FalRequestListener listener = new FalRequestListener() {
            @Override
            public void onStatusChanged(FalRequest request, Status status) {
                threads.add(Thread.currentThread().getName());
                int position = ((Queued) status).position();
                positions.computeIfAbsent(request.requestId(), id -> new CopyOnWriteArrayList<>()).add(position);
                if (position == 3) {
                    awaitQuietly(release); // holds the only listener thread
                }
            }
        };
        try (FalClient fal = builder(wm).listener(listener).listenerExecutor(executor).build()) {
            fal.status(APP, "a", false);
            await("a:3 delivered", Duration.ofSeconds(5), () -> !threads.isEmpty());
            fal.status(APP, "b", false); // b's delivery waits in the executor's queue
            fal.status(APP, "c", false); // rejected: dropped, not run on the event loop
            fal.status(APP, "a", false); // a:2 and a:1 wait behind a:3, in a's own order
            fal.status(APP, "a", false);
            release.countDown();
            await("a and b delivered", Duration.ofSeconds(5),
                    () -> positions.containsKey("b") && positions.get("a").size() == 3);
        } finally {
            executor.shutdown();
        }
        assertThat(threads).isNotEmpty().noneMatch(name -> name.startsWith("reactor-http"))
                .allMatch("listener-1"::equals);
        assertThat(positions).containsOnlyKeys("a", "b")
                .containsEntry("a", List.of(3, 2, 1))
                .containsEntry("b", List.of(5));
        assertThat(rejected).hasValue(1);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
