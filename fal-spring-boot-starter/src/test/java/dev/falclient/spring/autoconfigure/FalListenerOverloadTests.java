package dev.falclient.spring.autoconfigure;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.falclient.FalClient;
import dev.falclient.FalRequest;
import dev.falclient.FalRequestListener;
import dev.falclient.Queued;
import dev.falclient.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * With the {@code fal-events} executor full ({@code fal.events.threads=1}, {@code fal.events.queue-capacity=1}), a
 * callback it rejects is dropped, counted in {@code fal.events.dropped} and logged, and never runs on a Reactor
 * Netty event loop ({@code reactor-http-*}), where the statuses of these real HTTP calls are observed. Delivered
 * callbacks keep their per-request order.
 */
class FalListenerOverloadTests {

    private static final String APP = "fal-ai/flux";
    private static final String OBSERVER_LOGGER = "dev.falclient.internal.observe.RequestObserver";

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final CountDownLatch release = new CountDownLatch(1);
    private final Map<String, List<Integer>> positions = new ConcurrentHashMap<>();
    private final List<String> threads = new CopyOnWriteArrayList<>();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    /** Records each queue position with its thread; the first one (a at 3) holds the only delivery thread. */
    private final FalRequestListener listener = new FalRequestListener() {
        @Override
        public void onStatusChanged(FalRequest request, Status status) {
            threads.add(Thread.currentThread().getName());
            int position = ((Queued) status).position();
            positions.computeIfAbsent(request.requestId(), id -> new CopyOnWriteArrayList<>()).add(position);
            if (position == 3) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    };

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(FalAutoConfigurationTests.UPSTREAM)
            .withConfiguration(AutoConfigurations.of(FalAutoConfiguration.class, MetricsAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class))
            .withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new)
            .withBean("recordingListener", FalRequestListener.class, () -> listener)
            .withPropertyValues("fal.key=overload-test-key", "fal.queue-url=" + wm.baseUrl(),
                    "fal.retry.max-attempts=1", "fal.events.threads=1", "fal.events.queue-capacity=1");

    @BeforeEach
    void stubsAndLogs() {
        status("a", STARTED, "2", 3);
        status("a", "2", "1", 2);
        status("a", "1", "1", 1);
        wm.stubFor(get(urlPathEqualTo("/" + APP + "/requests/b/status"))
                .willReturn(okJson("{\"status\":\"IN_QUEUE\",\"queue_position\":5}")));
        wm.stubFor(get(urlPathEqualTo("/" + APP + "/requests/c/status"))
                .willReturn(okJson("{\"status\":\"IN_QUEUE\",\"queue_position\":6}")));
        logs.start();
        ((Logger) LoggerFactory.getLogger(OBSERVER_LOGGER)).addAppender(logs);
    }

    @AfterEach
    void detachLogs() {
        ((Logger) LoggerFactory.getLogger(OBSERVER_LOGGER)).detachAppender(logs);
    }

    @Test
    void aFullExecutorDropsCallbacksInsteadOfRunningThemOnTheEventLoop() {
        runner.run(context -> {
            FalClient fal = context.getBean(FalClient.class);
            fal.status(APP, "a", false);
            await().atMost(Duration.ofSeconds(5)).until(() -> !threads.isEmpty()); // a:3 holds the thread
            fal.status(APP, "b", false); // b waits in the executor's queue
            fal.status(APP, "c", false); // rejected: dropped, not run on the event loop
            fal.status(APP, "a", false); // a:2 and a:1 wait behind a:3, in a's own order
            fal.status(APP, "a", false);
            release.countDown();
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> positions.containsKey("b") && positions.get("a").size() == 3);

            assertThat(threads).noneMatch(name -> name.startsWith("reactor-http"))
                    .allMatch(name -> name.startsWith(FalListenerExecutor.THREAD_PREFIX));
            assertThat(positions).containsOnlyKeys("a", "b")
                    .containsEntry("a", List.of(3, 2, 1))
                    .containsEntry("b", List.of(5));
            assertThat(context.getBean(MeterRegistry.class).get("fal.events.dropped").functionCounter().count())
                    .isEqualTo(1.0);
            assertThat(logs.list).singleElement().satisfies(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.WARN);
                assertThat(event.getFormattedMessage()).contains("dropped a listener callback",
                        "1 dropped since", "fal.events.queue-capacity");
            });
        });
    }

    private static void status(String id, String state, String next, int position) {
        wm.stubFor(get(urlPathEqualTo("/" + APP + "/requests/" + id + "/status")).inScenario(id)
                .whenScenarioStateIs(state).willSetStateTo(next)
                .willReturn(okJson("{\"status\":\"IN_QUEUE\",\"queue_position\":" + position + "}")));
    }
}
