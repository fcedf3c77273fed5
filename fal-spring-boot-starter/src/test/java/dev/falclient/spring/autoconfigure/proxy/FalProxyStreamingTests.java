package dev.falclient.spring.autoconfigure.proxy;

import static dev.falclient.spring.autoconfigure.proxy.ProxyFixtures.PATH;
import static org.assertj.core.api.Assertions.assertThat;

import dev.falclient.emulator.CallKind;
import dev.falclient.spring.autoconfigure.FalAutoConfiguration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import reactor.netty.DisposableServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Server-sent events cross the proxy as they happen: fal's status streams and streaming runs. */
class FalProxyStreamingTests extends ProxyEmulatorTestBase {

    private static final ParameterizedTypeReference<ServerSentEvent<String>> EVENT = new ParameterizedTypeReference<>() {
    };

    private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FalAutoConfiguration.class, FalProxyAutoConfiguration.class))
            .withPropertyValues(ProxyFixtures.properties(emu));

    private static String status(ServerSentEvent<String> event) {
        return JsonMapper.shared().readTree(event.data()).path("status").asString();
    }

    @Test
    void statusStreamEventsArriveWhileTheRequestIsStillRunning() {
        emu.endpoint("fal-ai/flux/slow").processingTime(Duration.ofSeconds(4));
        runner.run(context -> {
            DisposableServer server = ProxyFixtures.serve(context.getBean("falProxyRoute", RouterFunction.class));
            try {
                WebClient proxy = WebClient.create("http://127.0.0.1:" + server.port() + PATH);
                JsonNode submitted = proxy.post().header("X-Fal-Target-Url", "https://queue.fal.run/fal-ai/flux/slow")
                        .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"prompt\":\"slow\"}")
                        .retrieve().bodyToMono(JsonNode.class).block(Duration.ofSeconds(20));
                String requestUrl = "https://queue.fal.run/fal-ai/flux/requests/"
                        + submitted.path("request_id").asString();

                List<String> statuses = new ArrayList<>();
                try (Stream<ServerSentEvent<String>> events = proxy.get()
                        .header("X-Fal-Target-Url", requestUrl + "/status/stream")
                        .accept(MediaType.TEXT_EVENT_STREAM).retrieve().bodyToFlux(EVENT)
                        .filter(event -> event.data() != null)
                        .timeout(Duration.ofSeconds(30)).toStream(1)) {
                    Iterator<ServerSentEvent<String>> iterator = events.iterator();
                    statuses.add(status(iterator.next()));
                    // the first event is here before fal finished: the proxy did not wait for the whole stream
                    JsonNode polled = proxy.get().header("X-Fal-Target-Url", requestUrl + "/status")
                            .retrieve().bodyToMono(JsonNode.class).block(Duration.ofSeconds(20));
                    assertThat(polled.path("status").asString()).isNotEqualTo("COMPLETED");
                    while (!statuses.get(statuses.size() - 1).equals("COMPLETED")) {
                        statuses.add(status(iterator.next()));
                    }
                }
                assertThat(statuses.get(0)).isIn("IN_QUEUE", "IN_PROGRESS");
                assertThat(statuses).last().isEqualTo("COMPLETED");
                assertThat(emu.requests(CallKind.STATUS_STREAM)).hasSize(1);
            } finally {
                server.disposeNow();
            }
        });
    }

    @Test
    void aStreamingRunPassesEveryEventInOrder() {
        emu.endpoint("fal-ai/flux/dev").partials(List.of(
                JsonMapper.shared().createObjectNode().put("text", "one"),
                JsonMapper.shared().createObjectNode().put("text", "two")));
        runner.run(context -> {
            DisposableServer server = ProxyFixtures.serve(context.getBean("falProxyRoute", RouterFunction.class));
            try {
                List<ServerSentEvent<String>> events = WebClient.create("http://127.0.0.1:" + server.port() + PATH)
                        .post().header("X-Fal-Target-Url", "https://fal.run/fal-ai/flux/dev/stream")
                        .accept(MediaType.TEXT_EVENT_STREAM).contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{\"prompt\":\"stream\"}")
                        .retrieve().bodyToFlux(EVENT).filter(event -> event.data() != null)
                        .collectList().block(Duration.ofSeconds(30));
                assertThat(events).hasSizeGreaterThanOrEqualTo(3);
                assertThat(events.get(0).data()).contains("one");
                assertThat(events.get(1).data()).contains("two");
                assertThat(emu.requests(CallKind.STREAM)).singleElement()
                        .satisfies(r -> assertThat(r.header("Authorization")).isEqualTo("Key " + ProxyFixtures.KEY));
            } finally {
                server.disposeNow();
            }
        });
    }
}
