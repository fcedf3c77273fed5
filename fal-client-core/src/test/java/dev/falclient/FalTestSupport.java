package dev.falclient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import dev.falclient.internal.ClientConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import org.awaitility.Awaitility;

/** Shared helpers for the core's WireMock tests. */
final class FalTestSupport {

    static final String KEY = "test-key";
    static final String QUEUE = "/gateway/queue";
    static final String RUN = "/gateway/run";
    /** How long a test waits for something that must happen; a passing test never waits this long. */
    static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(10);

    private FalTestSupport() {
    }

    /** A blocking-client builder pointing at WireMock under a path prefix, with tiny intervals and polling mode. */
    static FalClient.Builder builder(WireMockRuntimeInfo wm) {
        return configure(FalClient.builder(), wm);
    }

    /** The same settings for the reactive client. */
    static AsyncFalClient.Builder asyncBuilder(WireMockRuntimeInfo wm) {
        return configure(AsyncFalClient.builder(), wm);
    }

    private static <B extends FalClientBuilder<B>> B configure(B builder, WireMockRuntimeInfo wm) {
        return builder.key(KEY)
                .queueUrl(wm.getHttpBaseUrl() + QUEUE)
                .runUrl(wm.getHttpBaseUrl() + RUN)
                .statusMode(StatusMode.POLLING)
                .initialBackoff(Duration.ofMillis(10))
                .maxBackoff(Duration.ofMillis(50))
                .pollInterval(Duration.ofMillis(20))
                .responseTimeout(Duration.ofSeconds(5))
                .waitTimeout(Duration.ofSeconds(10));
    }

    /**
     * The client {@code builder} builds, except that its credential chain reads {@code environment} instead of the
     * process environment, so that a test of missing credentials runs the same whether or not the machine has a
     * {@code FAL_KEY}. The chain is the builder's: {@code credentials} (may be {@code null}), then {@code key}, then
     * the environment ({@code FalClientBuilder.config()}); the builder's own key and credentials are not used.
     */
    static FalClient withEnvironment(FalClient.Builder builder, FalCredentials credentials, String key,
                                     Map<String, String> environment) {
        FalCredentials chain = FalCredentials.key(key).orElse(FalCredentials.environment(environment::get));
        if (credentials != null) {
            chain = credentials.orElse(chain);
        }
        ClientConfig c = builder.config();
        return new DefaultAsyncFalClient(new ClientConfig(chain, c.urls(), c.http(), c.retry(), c.pool(), c.waiting(),
                c.tracking(), c.storage(), c.webClientBuilder(), c.httpClientCustomizer(), c.connectorFactory(),
                c.mapper(), c.listeners(), c.listenerExecutor(), c.defaultPriority(), c.defaultHeaders(), c.api(),
                c.defaultWebhookUrl(), c.observationRegistry(), c.observationConvention())).blocking();
    }

    /** {@code /gateway/queue/{owner}/{alias}/requests/{id}} */
    static String requestPath(String app, String requestId) {
        return QUEUE + "/" + app + "/requests/" + requestId;
    }

    /** Submit reply with server URLs under the configured queue URL. */
    static String submitReply(WireMockRuntimeInfo wm, String app, String requestId) {
        String base = wm.getHttpBaseUrl() + requestPath(app, requestId);
        return "{\"request_id\":\"" + requestId + "\",\"status\":\"IN_QUEUE\",\"queue_position\":0,"
                + "\"response_url\":\"" + base + "\",\"status_url\":\"" + base + "/status\","
                + "\"cancel_url\":\"" + base + "/cancel\"}";
    }

    /** Stubs {@code POST /gateway/queue/{endpoint}} to accept with {@code requestId}. */
    static MappingBuilder submitStub(WireMockRuntimeInfo wm, String endpoint, String app, String requestId) {
        return post(urlPathEqualTo(QUEUE + "/" + endpoint))
                .willReturn(okJson(submitReply(wm, app, requestId)).withHeader("x-fal-request-id", requestId));
    }

    static MappingBuilder statusStub(String app, String requestId) {
        return get(urlPathEqualTo(requestPath(app, requestId) + "/status"));
    }

    static MappingBuilder resultStub(String app, String requestId) {
        return get(urlPathEqualTo(requestPath(app, requestId)));
    }

    static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    static String queued(int position) {
        return "{\"status\":\"IN_QUEUE\",\"queue_position\":" + position + "}";
    }

    static String inProgress(String logsJson) {
        return "{\"status\":\"IN_PROGRESS\",\"logs\":" + logsJson + "}";
    }

    static String completed() {
        return "{\"status\":\"COMPLETED\",\"logs\":null,\"metrics\":{\"inference_time\":1.25}}";
    }

    static String log(String ts, String message) {
        return "{\"message\":\"" + message + "\",\"level\":\"INFO\",\"source\":\"USER\",\"timestamp\":\"" + ts + "\"}";
    }

    /** A local port nobody listens on. */
    static int closedPort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits (bounded) until the condition holds; fails the test otherwise. */
    static void await(String what, Duration max, BooleanSupplier condition) {
        Awaitility.await(what).atMost(max).pollDelay(Duration.ZERO).pollInterval(POLL)
                .until(condition::getAsBoolean);
    }

    /**
     * Waits until {@code count} stops changing and stays unchanged for {@code quiet}; returns the value it settled
     * at. For "nothing more happens" after something was stopped, when a call already on the wire may still land.
     * Fails if the count keeps changing for {@link #PATIENCE}.
     */
    static int awaitSettled(String what, Duration quiet, IntSupplier count) {
        AtomicInteger last = new AtomicInteger(count.getAsInt());
        Awaitility.await(what).during(quiet).atMost(quiet.plus(PATIENCE)).pollInterval(POLL).until(() -> {
            int now = count.getAsInt();
            return last.getAndSet(now) == now;
        });
        return last.get();
    }
}
