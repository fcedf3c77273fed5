package dev.falclient.observation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.falclient.AsyncFalClient;
import dev.falclient.AsyncRequestHandle;
import dev.falclient.FalException;
import dev.falclient.FalRequest;
import dev.falclient.FalRequestListener;
import dev.falclient.FalTimeoutException;
import dev.falclient.StatusMode;
import dev.falclient.emulator.FalEmulator;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.ClientRequestObservationContext;
import org.springframework.web.reactive.function.client.WebClient;
import tools.jackson.databind.JsonNode;

/** The {@code fal.request} observation, recorded in Micrometer's test registry against the emulator. */
class RequestObservationTests {

    private static final String APP = "fal-ai/flux/dev";
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final TestObservationRegistry registry = TestObservationRegistry.create();
    private FalEmulator emulator;

    @BeforeEach
    void start() {
        emulator = FalEmulator.builder().start();
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private AsyncFalClient.Builder client() {
        return AsyncFalClient.builder().key("k").queueUrl(emulator.queueUrl()).runUrl(emulator.runUrl())
                .statusMode(StatusMode.POLLING).pollInterval(Duration.ofMillis(20))
                .observationRegistry(registry);
    }

    @Test
    void completedRequestIsObservedFromSubmitToResult() {
        emulator.endpoint(APP).processingTime(Duration.ofMillis(50));
        try (AsyncFalClient fal = client().build()) {
            AsyncRequestHandle handle = fal.submit(APP, Map.of("prompt", "a cat")).block(PATIENCE);
            handle.get().block(PATIENCE);

            TestObservationRegistryAssert.assertThat(registry)
                    .hasNumberOfObservationsWithNameEqualTo("fal.request", 1)
                    .hasObservationWithNameEqualTo("fal.request").that()
                    .hasContextualNameEqualTo("fal " + APP)
                    .hasLowCardinalityKeyValue("fal.endpoint", APP)
                    .hasLowCardinalityKeyValue("fal.outcome", "completed")
                    .hasHighCardinalityKeyValue("fal.request_id", handle.requestId())
                    .hasBeenStarted().hasBeenStopped()
                    .doesNotHaveError();
        }
    }

    @Test
    void requestFalCompletesWithAnErrorIsObservedAsFailed() {
        emulator.endpoint(APP).failWith("GPU fell over", "runner_disconnected", 500);
        try (AsyncFalClient fal = client().build()) {
            assertThatThrownBy(() -> fal.subscribe(APP, Map.of("prompt", "x")).block(PATIENCE))
                    .isInstanceOf(FalException.class);

            TestObservationRegistryAssert.assertThat(registry)
                    .hasObservationWithNameEqualTo("fal.request").that()
                    .hasLowCardinalityKeyValue("fal.endpoint", APP)
                    .hasLowCardinalityKeyValue("fal.outcome", "failed")
                    .hasBeenStopped();
            TestObservationRegistryAssert.assertThat(registry).hasHandledContextsThatSatisfy(contexts ->
                    assertThat(contexts).filteredOn(FalRequestObservationContext.class::isInstance)
                            .extracting(c -> ((FalRequestObservationContext) c).getErrorType())
                            .containsExactly("runner_disconnected"));
        }
    }

    @Test
    void rejectedSubmitIsObservedAsFailedWithItsError() {
        try (AsyncFalClient fal = client().key("k").build()) {
            emulator.close(); // nothing listens: the submit cannot be sent
            assertThatThrownBy(() -> fal.submit(APP, Map.of("prompt", "x")).block(PATIENCE))
                    .isInstanceOf(FalException.class);

            TestObservationRegistryAssert.assertThat(registry)
                    .hasObservationWithNameEqualTo("fal.request").that()
                    .hasLowCardinalityKeyValue("fal.outcome", "failed")
                    .hasHighCardinalityKeyValue("fal.request_id", "none")
                    .hasBeenStopped()
                    .assertThatError().isInstanceOf(FalException.class);
        }
    }

    @Test
    void cancelledRequestIsObservedAsCancelled() {
        emulator.endpoint(APP).processingTime(Duration.ofMinutes(5));
        try (AsyncFalClient fal = client().build()) {
            AsyncRequestHandle handle = fal.submit(APP, Map.of("prompt", "slow")).block(PATIENCE);
            handle.cancel().block(PATIENCE);

            Awaitility.await().atMost(PATIENCE).untilAsserted(() -> TestObservationRegistryAssert.assertThat(registry)
                    .hasObservationWithNameEqualTo("fal.request").that()
                    .hasLowCardinalityKeyValue("fal.outcome", "cancelled")
                    .hasHighCardinalityKeyValue("fal.request_id", handle.requestId())
                    .hasBeenStopped());
        }
    }

    @Test
    void waitThatPassesItsDeadlineIsObservedAsGivenUp() {
        emulator.endpoint(APP).processingTime(Duration.ofMinutes(5));
        try (AsyncFalClient fal = client().waitTimeout(Duration.ofMillis(300)).build()) {
            assertThatThrownBy(() -> fal.subscribe(APP, Map.of("prompt", "slow")).block(PATIENCE))
                    .isInstanceOf(FalTimeoutException.class);

            TestObservationRegistryAssert.assertThat(registry)
                    .hasObservationWithNameEqualTo("fal.request").that()
                    .hasLowCardinalityKeyValue("fal.outcome", "given_up")
                    .hasBeenStopped()
                    .assertThatError().isInstanceOf(FalTimeoutException.class);
        }
    }

    @Test
    void requestStillRunningWhenTheClientClosesIsObservedAsGivenUp() {
        emulator.endpoint(APP).processingTime(Duration.ofMinutes(5));
        AsyncFalClient fal = client().build();
        fal.submit(APP, Map.of("prompt", "slow")).block(PATIENCE);
        TestObservationRegistryAssert.assertThat(registry)
                .hasObservationWithNameEqualTo("fal.request").that().isNotStopped();

        fal.close();

        TestObservationRegistryAssert.assertThat(registry)
                .hasObservationWithNameEqualTo("fal.request").that()
                .hasLowCardinalityKeyValue("fal.outcome", "given_up")
                .hasBeenStopped();
    }

    @Test
    void unwatchedRequestTheClientForgetsIsObservedAsGivenUp() {
        emulator.endpoint(APP).processingTime(Duration.ofMinutes(5));
        try (AsyncFalClient fal = client().maxObservedRequests(1).build()) {
            AsyncRequestHandle first = fal.submit(APP, Map.of("prompt", "one")).block(PATIENCE);
            fal.submit(APP, Map.of("prompt", "two")).block(PATIENCE);

            TestObservationRegistryAssert.assertThat(registry)
                    .hasNumberOfObservationsWithNameEqualTo("fal.request", 2)
                    .hasHandledContextsThatSatisfy(contexts -> assertThat(contexts)
                            .filteredOn(FalRequestObservationContext.class::isInstance)
                            .map(FalRequestObservationContext.class::cast)
                            // the outcome is set as the observation stops
                            .extracting(c -> c.getRequestId() + "=" + c.getOutcome())
                            .contains(first.requestId() + "=GIVEN_UP")
                            .filteredOn(text -> text.endsWith("=null")).hasSize(1));
        }
    }

    @Test
    void customConventionNamesAndTagsTheObservation() {
        emulator.endpoint(APP).processingTime(Duration.ofMillis(20));
        FalRequestObservationConvention custom = new DefaultFalRequestObservationConvention() {
            @Override
            public String getName() {
                return "images.generation";
            }

            @Override
            public KeyValues getLowCardinalityKeyValues(FalRequestObservationContext context) {
                return super.getLowCardinalityKeyValues(context).and(KeyValue.of("team", "images"));
            }
        };
        try (AsyncFalClient fal = client().observationConvention(custom).build()) {
            fal.subscribe(APP, Map.of("prompt", "x")).block(PATIENCE);

            TestObservationRegistryAssert.assertThat(registry)
                    .hasNumberOfObservationsWithNameEqualTo("fal.request", 0)
                    .hasObservationWithNameEqualTo("images.generation").that()
                    .hasLowCardinalityKeyValue("team", "images")
                    .hasLowCardinalityKeyValue("fal.outcome", "completed");
        }
    }

    @Test
    void listenerCallsRunInTheRequestsObservationOnListenerThreads() {
        emulator.endpoint(APP).processingTime(Duration.ofMillis(20));
        List<String> seen = new CopyOnWriteArrayList<>();
        FalRequestListener listener = new FalRequestListener() {
            @Override
            public void onSubmitted(FalRequest request) {
                seen.add("submitted:" + current());
            }

            @Override
            public void onResult(FalRequest request, JsonNode result) {
                seen.add("result:" + current());
            }

            private String current() {
                Observation current = registry.getCurrentObservation();
                return current == null ? "none" : current.getContextView().getName() + "/"
                        + ((FalRequestObservationContext) current.getContext()).getRequestId() + "@"
                        + Thread.currentThread().getName();
            }
        };
        try (AsyncFalClient fal = client().listener(listener).build()) {
            AsyncRequestHandle handle = fal.submit(APP, Map.of("prompt", "x")).block(PATIENCE);
            handle.get().block(PATIENCE);
            Awaitility.await().atMost(PATIENCE).until(() -> seen.size() == 2);

            assertThat(seen).allSatisfy(s -> assertThat(s)
                    .contains("fal.request/" + handle.requestId() + "@")
                    .doesNotContain("reactor-http"));
        }
    }

    @Test
    void httpCallsReportUriTemplatesAndAreChildrenOfTheRequest() {
        emulator.endpoint(APP).processingTime(Duration.ofMillis(50));
        try (AsyncFalClient fal = client().webClientBuilder(WebClient.builder().observationRegistry(registry))
                .build()) {
            AsyncRequestHandle handle = fal.submit(APP, Map.of("prompt", "x")).block(PATIENCE);
            handle.get().block(PATIENCE);
            handle.cancel().onErrorResume(e -> reactor.core.publisher.Mono.empty()).block(PATIENCE);

            List<ClientRequestObservationContext> calls = new CopyOnWriteArrayList<>();
            TestObservationRegistryAssert.assertThat(registry).hasHandledContextsThatSatisfy(contexts ->
                    contexts.stream().filter(ClientRequestObservationContext.class::isInstance)
                            .map(ClientRequestObservationContext.class::cast).forEach(calls::add));
            assertThat(calls).extracting(ClientRequestObservationContext::getUriTemplate)
                    .contains("/{endpoint}", "/{endpoint}/requests/{request_id}/status",
                            "/{endpoint}/requests/{request_id}", "/{endpoint}/requests/{request_id}/cancel")
                    .noneMatch(template -> template.contains(handle.requestId()));
            assertThat(calls).allSatisfy(call -> assertThat(Objects.requireNonNull(call.getParentObservation())
                    .getContextView().getName()).as(call.getUriTemplate()).isEqualTo("fal.request"));
        }
    }

    @Test
    void withoutRegistryNothingIsObserved() {
        emulator.endpoint(APP).processingTime(Duration.ofMillis(20));
        try (AsyncFalClient fal = client().observationRegistry(ObservationRegistry.NOOP).build()) {
            fal.subscribe(APP, Map.of("prompt", "x")).block(PATIENCE);
        }
        TestObservationRegistryAssert.assertThat(registry).doesNotHaveAnyObservation();
    }
}
