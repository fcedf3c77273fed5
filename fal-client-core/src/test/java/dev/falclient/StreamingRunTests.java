package dev.falclient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.falclient.FalTestSupport.RUN;
import static dev.falclient.FalTestSupport.asyncBuilder;
import static dev.falclient.FalTestSupport.builder;
import static dev.falclient.FalTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.falclient.internal.http.FalTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.JsonNode;

/** The streaming run on the wire (WireMock): the exact request, SSE parsing edge cases, errors, retries, bounds. */
@WireMockTest
class StreamingRunTests {

    private static final String APP = "fal-ai/any-llm";
    private static final String PATH = RUN + "/" + APP + "/stream";

    /** Events as fal may send them: a keep-alive comment, multi-line data, no space after the colon, a retry line. */
    private static final String EVENTS = """
            : keep-alive

            data: {"partial": true,
            data:  "text": "Hel"}

            event: message
            id: 2
            data:{"partial":true,"text":"Hello"}

            retry: 1000

            data: {"partial": false, "text": "Hello world"}

            """;

    record Chunk(boolean partial, String text) {
    }

    static ResponseDefinitionBuilder sse(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
                .withHeader("x-fal-request-id", "req-s").withBody(body);
    }

    @Test
    void postsTheInputToTheStreamPathAcceptingEventsAndYieldsEachEventsDataInOrder(WireMockRuntimeInfo wm) {
        stubFor(post(urlPathEqualTo(PATH)).willReturn(sse(EVENTS)));
        AtomicReference<String> requestId = new AtomicReference<>();
        StreamOptions options = StreamOptions.builder().hint("lora:a").header("X-Fal-Store-IO", "0")
                .timeout(Duration.ofSeconds(30)).onRequestId(requestId::set).build();
        List<JsonNode> events;
        try (FalClient fal = builder(wm).build();
             Stream<JsonNode> stream = fal.stream(APP, Map.of("prompt", "hi"), options)) {
            events = stream.toList();
        }
        assertThat(events).extracting(e -> e.path("text").asString()).containsExactly("Hel", "Hello", "Hello world");
        assertThat(events.get(2).path("partial").asBoolean()).isFalse();
        assertThat(requestId).hasValue("req-s");

        List<LoggedRequest> sent = wm.getWireMock().find(postRequestedFor(urlPathEqualTo(PATH)));
        assertThat(sent).singleElement().satisfies(r -> {
            assertThat(r.getMethod().getName()).isEqualTo("POST");
            assertThat(r.getHeader("Accept")).isEqualTo("text/event-stream");
            assertThat(r.getHeader("Content-Type")).startsWith("application/json");
            assertThat(r.getHeader("Authorization")).isEqualTo("Key test-key");
            assertThat(r.getHeader("User-Agent")).isEqualTo(FalTransport.USER_AGENT);
            assertThat(r.getHeader("X-Fal-Runner-Hint")).isEqualTo("lora:a");
            assertThat(r.getHeader("X-Fal-Store-IO")).isEqualTo("0");
            assertThat(r.getHeader("X-Fal-Request-Timeout")).isEqualTo("30");
            assertThat(equalToJson("{\"prompt\":\"hi\"}").match(r.getBodyAsString()).isExactMatch()).isTrue();
        });
    }

    @Test
    void theReactiveFaceAndTheTypedVariantYieldTheSameEvents(WireMockRuntimeInfo wm) {
        stubFor(post(urlPathEqualTo(PATH)).willReturn(sse(EVENTS)));
        try (AsyncFalClient fal = asyncBuilder(wm).build()) {
            assertThat(fal.stream(APP, Map.of("prompt", "hi"), Chunk.class).collectList().block())
                    .containsExactly(new Chunk(true, "Hel"), new Chunk(true, "Hello"), new Chunk(false, "Hello world"));
            try (Stream<Chunk> chunks = fal.blocking().stream(APP, Map.of(), Chunk.class)) {
                assertThat(chunks.map(Chunk::text)).containsExactly("Hel", "Hello", "Hello world");
            }
        }
    }

    @Test
    void thePathOptionReplacesStreamAndAnIdEndingInStreamIsNotExtended(WireMockRuntimeInfo wm) {
        stubFor(post(urlPathMatching(RUN + "/.*")).willReturn(sse(EVENTS)));
        try (FalClient fal = builder(wm).build()) {
            fal.stream(APP + "/stream", Map.of()).toList();
            fal.stream("fal-ai/flux/dev", Map.of(), StreamOptions.builder().path("events/live").build()).toList();
            fal.stream("fal-ai/flux/dev", Map.of()).toList();
        }
        assertThat(wm.getWireMock().find(postRequestedFor(urlPathMatching(RUN + "/.*"))))
                .extracting(LoggedRequest::getUrl).containsExactly(PATH,
                        RUN + "/fal-ai/flux/dev/events/live", RUN + "/fal-ai/flux/dev/stream");
    }

    @Test
    void aNon2xxAnswerIsRunsTypedExceptionWithFalsDetail(WireMockRuntimeInfo wm) {
        stubFor(post(urlPathEqualTo(PATH)).willReturn(json(422,
                "{\"detail\":[{\"loc\":[\"body\",\"prompt\"],\"msg\":\"field required\",\"type\":\"value_error\"}]}")
                .withHeader("x-fal-request-id", "req-v")));
        stubFor(post(urlPathEqualTo(RUN + "/fal-ai/plain/stream")).willReturn(json(404,
                "{\"detail\":\"Path /stream not found\"}").withHeader("x-fal-request-id", "req-n")));
        try (FalClient fal = builder(wm).build()) {
            assertThatThrownBy(() -> fal.stream(APP, Map.of()).toList())
                    .isInstanceOfSatisfying(FalValidationException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(422);
                        assertThat(e.errors()).singleElement()
                                .satisfies(f -> assertThat(f.msg()).isEqualTo("field required"));
                        assertThat(e.requestId()).hasValue("req-v");
                    });
            assertThatThrownBy(() -> fal.stream("fal-ai/plain", Map.of()).toList())
                    .isInstanceOfSatisfying(FalHttpException.class, e -> assertThat(e.statusCode()).isEqualTo(404))
                    .hasMessageContaining("does not stream").hasMessageContaining("Path /stream not found");
        }
    }

    @Test
    void aJsonAnswerInsteadOfEventsSaysTheEndpointMayNotStream(WireMockRuntimeInfo wm) {
        stubFor(post(urlPathEqualTo(PATH)).willReturn(json(200, "{\"text\":\"all at once\"}")));
        try (FalClient fal = builder(wm).build()) {
            assertThatThrownBy(() -> fal.stream(APP, Map.of()).toList()).isInstanceOf(FalResponseException.class)
                    .hasMessageContaining("instead of text/event-stream");
        }
    }

    @Test
    void anErrorEventEndsTheStreamAfterTheEventsBeforeItWithRunsTypedException(WireMockRuntimeInfo wm) {
        stubFor(post(urlPathEqualTo(PATH)).willReturn(sse("""
                data: {"partial": true, "text": "Hel"}

                data: {"detail": "CUDA out of memory", "error_type": "runner_server_error"}

                data: {"text": "never read"}

                """)));
        stubFor(post(urlPathEqualTo(RUN + "/fal-ai/strict/stream")).willReturn(sse("""
                event: error
                data: {"detail": [{"loc": ["body", "prompt"], "msg": "too long", "type": "value_error"}]}

                """)));
        try (FalClient fal = builder(wm).build()) {
            List<String> seen = new java.util.ArrayList<>();
            try (Stream<JsonNode> events = fal.stream(APP, Map.of())) {
                // the whole body, error included, is in the client before the first element is read
                FalTestSupport.await("the stream to end", FalTestSupport.PATIENCE, () -> fal.stats().inFlight() == 0);
                assertThatThrownBy(() -> events.forEach(e -> seen.add(e.path("text").asString())))
                        .isInstanceOfSatisfying(FalHttpException.class, e -> {
                            assertThat(e.statusCode()).isEqualTo(500);
                            assertThat(e.errorType()).isEqualTo("runner_server_error");
                            assertThat(e.requestId()).hasValue("req-s");
                        })
                        .hasMessageContaining("CUDA out of memory");
            }
            assertThat(seen).containsExactly("Hel");
            assertThatThrownBy(() -> fal.stream("fal-ai/strict", Map.of()).toList())
                    .isInstanceOfSatisfying(FalValidationException.class, e -> assertThat(e.errors())
                            .singleElement().satisfies(f -> assertThat(f.loc()).containsExactly("body", "prompt")));
        }
    }

    @Test
    void anEventThatIsNotJsonIsAResponseError(WireMockRuntimeInfo wm) {
        stubFor(post(urlPathEqualTo(PATH)).willReturn(sse("data: <html>\n\n")));
        try (FalClient fal = builder(wm).build()) {
            assertThatThrownBy(() -> fal.stream(APP, Map.of()).toList()).isInstanceOf(FalResponseException.class)
                    .hasMessageContaining("not JSON").hasMessageContaining("<html>");
        }
    }

    @Test
    void anEventLargerThanTheInMemoryLimitEndsTheStreamWithAnErrorNamingTheLimit(WireMockRuntimeInfo wm) {
        String big = "{\"image\":\"data:image/png;base64," + "A".repeat(4_000) + "\"}";
        stubFor(post(urlPathEqualTo(PATH)).willReturn(sse("data: {\"n\":1}\n\ndata: " + big + "\n\n")));
        try (FalClient fal = builder(wm).maxInMemorySize(2_048).build()) {
            List<JsonNode> seen = new ArrayList<>();
            assertThatThrownBy(() -> {
                try (Stream<JsonNode> events = fal.stream(APP, Map.of())) {
                    events.forEach(seen::add);
                }
            })
                    .isInstanceOf(FalResponseException.class)
                    .hasMessageContaining("2048").hasMessageContaining("maxInMemorySize");
            assertThat(seen).extracting(node -> node.path("n").asInt()).containsExactly(1);
        }
    }

    @Test
    void aGateway503WithoutRequestIdIsRetriedButFalsOwn503IsNot(WireMockRuntimeInfo wm) {
        stubFor(post(urlPathEqualTo(PATH)).inScenario("ingress").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withBody("<html>nginx</html>"))
                .willSetStateTo("up"));
        stubFor(post(urlPathEqualTo(PATH)).inScenario("ingress").whenScenarioStateIs("up").willReturn(sse(EVENTS)));
        stubFor(post(urlPathEqualTo(RUN + "/fal-ai/busy/stream")).willReturn(json(503,
                "{\"detail\":\"No runner\",\"error_type\":\"runner_scheduling_failure\"}")
                .withHeader("x-fal-request-id", "req-b")));
        try (FalClient fal = builder(wm).build()) {
            assertThat(fal.stream(APP, Map.of()).toList()).hasSize(3);
            assertThatThrownBy(() -> fal.stream("fal-ai/busy", Map.of()).toList())
                    .isInstanceOfSatisfying(FalHttpException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(503);
                        assertThat(e.errorType()).isEqualTo("runner_scheduling_failure");
                    });
        }
        assertThat(wm.getWireMock().find(postRequestedFor(urlPathEqualTo(PATH)))).hasSize(2);
        assertThat(wm.getWireMock().find(postRequestedFor(urlPathEqualTo(RUN + "/fal-ai/busy/stream")))).hasSize(1);
    }

    @Test
    void aStreamCutAfterItsAnswerIsNeverRetriedEvenWhenAmbiguousSubmitsMayBe() {
        AtomicInteger posts = new AtomicInteger();
        // answers 200, sends one event, then drops the connection in the middle of the body
        DisposableServer server = HttpServer.create().host("127.0.0.1").port(0)
                .handle((req, res) -> req.receive().then().then(Mono.defer(() -> {
                    posts.incrementAndGet();
                    return res.header("Content-Type", "text/event-stream").header("x-fal-request-id", "req-cut")
                            .sendString(Flux.concat(Mono.just("data: {\"n\":1}\n\n"),
                                    Mono.delay(Duration.ofMillis(100)).then(Mono.fromRunnable(() ->
                                            res.withConnection(c -> c.channel().close()))).then(Mono.empty())))
                            .then();
                }))).bindNow();
        List<JsonNode> seen = new java.util.ArrayList<>();
        try (FalClient fal = FalClient.builder().key("k").runUrl("http://127.0.0.1:" + server.port())
                .retryAmbiguousSubmits(true).initialBackoff(Duration.ofMillis(10)).build();
             Stream<JsonNode> events = fal.stream(APP, Map.of())) {
            assertThatThrownBy(() -> events.forEach(seen::add)).isInstanceOfSatisfying(FalTransportException.class,
                    e -> {
                        assertThat(e.possiblySubmitted()).isTrue();
                        assertThat(e.requestId()).hasValue("req-cut");
                    });
        } finally {
            server.disposeNow();
        }
        assertThat(seen).extracting(e -> e.path("n").asInt()).containsExactly(1);
        assertThat(posts).hasValue(1);
    }

    @Test
    void theTotalTimeoutBoundsTheWaitForTheAnswer(WireMockRuntimeInfo wm) {
        stubFor(post(urlPathEqualTo(PATH)).willReturn(sse(EVENTS).withFixedDelay(5_000)));
        try (FalClient fal = builder(wm).build()) {
            StreamOptions options = StreamOptions.builder().timeout(Duration.ofMillis(300)).build();
            assertThatThrownBy(() -> fal.stream(APP, Map.of(), options).toList())
                    .isInstanceOfSatisfying(FalTimeoutException.class,
                            e -> assertThat(e.possiblySubmitted()).isTrue());
        }
    }

    @Test
    void badArgumentsFailAtTheCallWithAClearMessage(WireMockRuntimeInfo wm) {
        try (FalClient fal = builder(wm).build()) {
            assertThatThrownBy(() -> fal.stream(" ", Map.of())).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> StreamOptions.builder().idleTimeout(Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idleTimeout");
            assertThatThrownBy(() -> StreamOptions.builder().path("../other"))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
