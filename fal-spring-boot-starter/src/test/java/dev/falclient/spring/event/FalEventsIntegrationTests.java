package dev.falclient.spring.event;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.falclient.AsyncFalClient;
import dev.falclient.Completed;
import dev.falclient.FalClient;
import dev.falclient.InProgress;
import dev.falclient.Queued;
import dev.falclient.RequestLog;
import dev.falclient.Status;
import dev.falclient.SubmitOptions;
import dev.falclient.SubscribeOptions;
import dev.falclient.spring.EventCollector;
import dev.falclient.spring.FalStubs;
import dev.falclient.spring.autoconfigure.FalAutoConfiguration;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import tools.jackson.databind.JsonNode;

class FalEventsIntegrationTests {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final List<String> FULL_CYCLE = List.of("FalRequestSubmittedEvent", "FalRequestQueuedEvent",
            "FalRequestQueuedEvent", "FalRequestInProgressEvent", "FalRequestLogEvent", "FalRequestCompletedEvent",
            "FalRequestResultEvent");

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CodecsAutoConfiguration.class,
                        ReactiveHttpClientAutoConfiguration.class, WebClientAutoConfiguration.class,
                        FalAutoConfiguration.class))
                .withBean(EventCollector.class)
                .withPropertyValues("fal.key=test-key-0123456789", "fal.queue-url=" + wm.baseUrl(),
                        "fal.status-mode=POLLING", "fal.poll-interval=20ms");
    }

    record Output(List<Image> images) {
        record Image(String url) {
        }
    }

    @Test
    void subscribeDrivesFullCycleAndPublishesEachTransitionOnceInOrder() {
        FalStubs.fullCycle(wm);
        runner().run(context -> {
            FalClient fal = context.getBean(FalClient.class);
            EventCollector collector = context.getBean(EventCollector.class);

            JsonNode result = fal.subscribe(FalStubs.ENDPOINT, Map.of("prompt", "a lake"),
                    SubscribeOptions.builder().withLogs(true).build());

            assertThat(result.get("seed").asInt()).isEqualTo(42);
            collector.awaitEvent(FalRequestResultEvent.class::isInstance, Duration.ofSeconds(5));
            assertThat(collector.names()).containsExactlyElementsOf(FULL_CYCLE);
            assertThat(collector.events).allSatisfy(e -> {
                assertThat(e.getEndpointId()).isEqualTo(FalStubs.ENDPOINT);
                assertThat(e.getRequestId()).isEqualTo(FalStubs.REQUEST_ID);
            });
            assertThat(((FalRequestQueuedEvent) collector.events.get(1)).getPosition()).isEqualTo(2);
            assertThat(((FalRequestQueuedEvent) collector.events.get(2)).getPosition()).isEqualTo(1);
            assertThat(((FalRequestLogEvent) collector.events.get(4)).getLogs())
                    .singleElement().satisfies(line -> assertThat(line.message()).isEqualTo("step 1"));
            FalRequestCompletedEvent completed = (FalRequestCompletedEvent) collector.events.get(5);
            assertThat(completed.isFailed()).isFalse();
            assertThat(completed.getStatus().metrics()).containsKey("inference_time");
            FalRequestResultEvent resultEvent = (FalRequestResultEvent) collector.events.get(6);
            assertThat(resultEvent.getResult(Output.class).images().get(0).url())
                    .isEqualTo("https://v3.fal.media/files/x.png");
            assertThat(collector.threads).allSatisfy(thread -> assertThat(thread)
                    .startsWith("fal-events").doesNotContain("reactor-http"));
        });
    }

    @Test
    void trackedSubmitAloneProducesEveryEventAndTheResult() {
        FalStubs.fullCycle(wm);
        runner().run(context -> {
            AsyncFalClient fal = context.getBean(AsyncFalClient.class);
            EventCollector collector = context.getBean(EventCollector.class);

            fal.submit(FalStubs.ENDPOINT, Map.of("prompt", "a lake"), SubmitOptions.builder().track(true).build())
                    .block(Duration.ofSeconds(5));

            collector.awaitEvent(FalRequestResultEvent.class::isInstance, Duration.ofSeconds(5));
            assertThat(collector.names()).containsExactlyElementsOf(FULL_CYCLE);
            FalRequestResultEvent resultEvent = (FalRequestResultEvent) collector.events.get(6);
            assertThat(resultEvent.getResult().get("seed").asInt()).isEqualTo(42);
            // one listener type for every status transition, each with its typed status
            assertThat(collector.events).filteredOn(FalRequestStatusEvent.class::isInstance)
                    .extracting(e -> (Status) ((FalRequestStatusEvent<?>) e).getStatus())
                    .containsExactly(new Queued(2), new Queued(1),
                            new InProgress(List.of(new RequestLog("step 1", "INFO", "USER", "2026-01-01T00:00:01Z"))),
                            new Completed(List.of(), Map.of("inference_time", 1.2), null, null));
            assertThat(collector.threads).allSatisfy(thread -> assertThat(thread).startsWith("fal-events"));
        });
    }

    @Test
    void trackSubmittedPropertyTracksPlainSubmits() {
        FalStubs.fullCycle(wm);
        runner().withPropertyValues("fal.events.track-submitted=true", "fal.events.track-with-logs=false")
                .run(context -> {
                    EventCollector collector = context.getBean(EventCollector.class);
                    context.getBean(FalClient.class).submit(FalStubs.ENDPOINT, Map.of("prompt", "x"));
                    collector.awaitEvent(FalRequestResultEvent.class::isInstance, Duration.ofSeconds(5));
                    assertThat(collector.names()).startsWith("FalRequestSubmittedEvent")
                            .endsWith("FalRequestResultEvent");
                    // track-with-logs=false: tracking never asks fal for logs
                    wm.verify(getRequestedFor(urlPathEqualTo(FalStubs.BASE + "/status"))
                            .withQueryParam("logs", absent()));
                    assertThat(wm.findAll(getRequestedFor(urlPathEqualTo(FalStubs.BASE + "/status"))
                            .withQueryParam("logs", equalTo("1")))).isEmpty();
                });
    }

    @Test
    void listenerBeansMayDependOnTheClientAndRunInOrder() {
        FalStubs.fullCycle(wm);
        ListenerConfig.calls.clear();
        runner().withUserConfiguration(ListenerConfig.class).run(context -> {
            assertThat(context).hasNotFailed();
            context.getBean(FalClient.class).subscribe(FalStubs.ENDPOINT, Map.of("prompt", "x"));
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).untilAsserted(() ->
                    assertThat(ListenerConfig.calls).contains("first:result", "second:result"));
            assertThat(ListenerConfig.calls).startsWith("first:submitted", "second:submitted");
        });
    }

    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class ListenerConfig {
        static final List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();

        @org.springframework.context.annotation.Bean
        @org.springframework.core.annotation.Order(2)
        dev.falclient.FalRequestListener second(FalClient fal) {
            return recorder("second", fal);
        }

        @org.springframework.context.annotation.Bean
        @org.springframework.core.annotation.Order(1)
        dev.falclient.FalRequestListener first(FalClient fal) {
            return recorder("first", fal);
        }

        private static dev.falclient.FalRequestListener recorder(String name, FalClient fal) {
            return new dev.falclient.FalRequestListener() {
                @Override
                public void onSubmitted(dev.falclient.FalRequest request) {
                    calls.add(name + ":submitted");
                }

                @Override
                public void onResult(dev.falclient.FalRequest request, JsonNode result) {
                    calls.add(name + ":result");
                }
            };
        }
    }

    @Test
    void noEventsWhenDisabled() {
        FalStubs.fullCycle(wm);
        runner().withPropertyValues("fal.events.enabled=false").run(context -> {
            context.getBean(FalClient.class).subscribe(FalStubs.ENDPOINT, Map.of("prompt", "x"));
            // events are delivered asynchronously: none arrives, not even a while after the request completed
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                    assertThat(context.getBean(EventCollector.class).events).isEmpty());
        });
    }

    @Test
    void contextCloseStopsBackgroundTracking() {
        FalStubs.fullCycle(wm); // submit and result stubs; a higher-priority status stub never completes
        wm.stubFor(get(urlPathEqualTo(FalStubs.BASE + "/status")).atPriority(1).willReturn(aResponse()
                .withStatus(202).withHeader("Content-Type", "application/json")
                .withBody("{\"status\":\"IN_QUEUE\",\"queue_position\":3}")));
        runner().run(context -> {
            EventCollector collector = context.getBean(EventCollector.class);
            context.getBean(FalClient.class).submit(FalStubs.ENDPOINT, Map.of("prompt", "x"),
                    SubmitOptions.builder().track(true).build());
            collector.awaitEvent(FalRequestQueuedEvent.class::isInstance, Duration.ofSeconds(5));
        });
        int afterClose = polls();
        assertThat(afterClose).as("status polls while the context was open").isPositive();
        // for ten poll intervals (fal.poll-interval=20ms) no more than the one poll in flight at close arrives
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(polls()).isLessThanOrEqualTo(afterClose + 1));
    }

    private static int polls() {
        return wm.findAll(getRequestedFor(urlPathEqualTo(FalStubs.BASE + "/status"))).size();
    }
}
