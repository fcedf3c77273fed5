package dev.falclient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.falclient.FalTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** How error responses and unusable payloads surface. */
@WireMockTest
class ErrorMappingTests {

    private static final String APP = "fal-ai/flux";
    private static final String ID = "req-e";

    record Output(String name, int count) {
    }

    /** A bean whose getter throws. */
    public static final class Exploding {
        public String getValue() {
            throw new IllegalStateException("nope");
        }
    }

    /** A bean that references itself. */
    public static final class SelfRef {
        public SelfRef getSelf() {
            return this;
        }
    }

    private FalClient client(WireMockRuntimeInfo wm) {
        return builder(wm).maxAttempts(1).build();
    }

    @Test
    void validationErrorWithDetailArray(WireMockRuntimeInfo wm) {
        stubFor(post(urlPathEqualTo(RUN + "/" + APP)).willReturn(json(422,
                "{\"detail\":[{\"loc\":[\"body\",\"prompt\"],\"msg\":\"field required\",\"type\":\"value_error.missing\"},"
                        + "{\"loc\":[\"body\",\"image_size\"],\"msg\":\"Image too large\",\"type\":\"image_too_large\","
                        + "\"url\":\"https://docs.fal.ai/errors#image_too_large\",\"ctx\":{\"max\":1024}}]}")
                .withHeader("x-fal-request-id", "run-1")));
        try (FalClient fal = client(wm)) {
            assertThatThrownBy(() -> fal.run(APP, Map.of()))
                    .isInstanceOfSatisfying(FalValidationException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(422);
                        assertThat(e.requestId()).contains("run-1");
                        assertThat(e.errors()).containsExactly(
                                new FieldError(List.of("body", "prompt"), "field required", "value_error.missing"),
                                new FieldError(List.of("body", "image_size"), "Image too large", "image_too_large"));
                        assertThat(e.errorsFor("prompt")).hasSize(1);
                        assertThat(e.errors().get(1).field()).isEqualTo("image_size");
                        assertThat(e.getMessage()).contains("422").contains("body.prompt: field required");
                        assertThat(e.possiblySubmitted()).isFalse();
                    });
        }
    }

    @Test
    void validationErrorWithStringDetail(WireMockRuntimeInfo wm) {
        stubFor(post(urlPathEqualTo(RUN + "/" + APP)).willReturn(json(422, "{\"detail\":\"Prompt is too long\"}")));
        try (FalClient fal = client(wm)) {
            assertThatThrownBy(() -> fal.run(APP, Map.of()))
                    .isInstanceOfSatisfying(FalValidationException.class, e -> {
                        assertThat(e.errors()).containsExactly(
                                new FieldError(List.of("body"), "Prompt is too long", "value_error"));
                        assertThat(e.getMessage()).contains("Prompt is too long");
                    });
        }
    }

    @Test
    void serverErrorWithDetailAndErrorType(WireMockRuntimeInfo wm) {
        String body = "{\"detail\":\"boom\",\"error_type\":\"runner_server_error\"}";
        stubFor(statusStub(APP, ID).willReturn(json(500, body).withHeader("x-fal-request-id", ID)));
        try (FalClient fal = client(wm)) {
            assertThatThrownBy(() -> fal.status(APP, ID, false))
                    .isExactlyInstanceOf(FalHttpException.class)
                    .isInstanceOfSatisfying(FalHttpException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(500);
                        assertThat(e.errorType()).isEqualTo("runner_server_error");
                        assertThat(e.body()).isEqualTo(body);
                        assertThat(e.getMessage()).contains("500").contains("boom");
                        assertThat(e.requestId()).contains(ID);
                        assertThat(e.header("X-FAL-REQUEST-ID")).contains(ID);
                        assertThat(e.isUserTimeout()).isFalse();
                    });
            assertThat(fal.stats().lastErrorType()).contains("runner_server_error");
            assertThat(fal.stats().failed()).isEqualTo(1);
        }
    }

    @Test
    void errorTypeFallsBackToHeaderAndRequestIdComesFromHeader(WireMockRuntimeInfo wm) {
        stubFor(post(urlPathEqualTo(RUN + "/" + APP)).willReturn(json(503, "{\"detail\":\"no runner\"}")
                .withHeader("X-Fal-Error-Type", "runner_scheduling_failure")
                .withHeader("x-fal-request-id", "from-header")
                .withHeader("X-Fal-Retryable", "true")));
        try (FalClient fal = client(wm)) {
            assertThatThrownBy(() -> fal.run(APP, Map.of()))
                    .isInstanceOfSatisfying(FalHttpException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(503);
                        assertThat(e.errorType()).isEqualTo("runner_scheduling_failure");
                        assertThat(e.requestId()).contains("from-header");
                        assertThat(e.retryable()).contains(true);
                        assertThat(e.getMessage()).contains("no runner");
                    });
        }
    }

    @Test
    void htmlGatewayPage(WireMockRuntimeInfo wm) {
        String html = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                + "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>";
        stubFor(statusStub(APP, ID).willReturn(aResponse().withStatus(502).withHeader("Content-Type", "text/html")
                .withBody(html)));
        try (FalClient fal = client(wm)) {
            assertThatThrownBy(() -> fal.status(APP, ID, false))
                    .isInstanceOfSatisfying(FalHttpException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(502);
                        assertThat(e.errorType()).isNull();
                        assertThat(e.body()).isEqualTo(html);
                        assertThat(e.getMessage()).contains("502 Bad Gateway").doesNotContain("\n");
                        assertThat(e.requestId()).contains(ID); // the handle's id
                    });
        }
    }

    @Test
    void emptyErrorBody(WireMockRuntimeInfo wm) {
        stubFor(statusStub(APP, ID).willReturn(aResponse().withStatus(404)));
        try (FalClient fal = client(wm)) {
            assertThatThrownBy(() -> fal.status(APP, ID, false))
                    .isInstanceOfSatisfying(FalHttpException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(404);
                        assertThat(e.body()).isEmpty();
                        assertThat(e.getMessage()).contains("<empty body>");
                    });
        }
    }

    @Test
    void rateLimitCarriesRetryAfter(WireMockRuntimeInfo wm) {
        stubFor(post(urlPathEqualTo(QUEUE + "/" + APP)).willReturn(json(429, "{\"detail\":\"Too many\"}")
                .withHeader("Retry-After", "7")));
        try (FalClient fal = client(wm)) {
            assertThatThrownBy(() -> fal.submit(APP, Map.of()))
                    .isInstanceOfSatisfying(FalRateLimitException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(429);
                        assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
                        assertThat(e.possiblySubmitted()).isFalse();
                    });
        }
    }

    @Test
    void malformedJsonOnSuccess(WireMockRuntimeInfo wm) {
        String garbage = "{\"status\": \"IN_QUEUE\", oops" + "x".repeat(1000);
        stubFor(statusStub(APP, ID).willReturn(okJson(garbage)));
        try (FalClient fal = client(wm)) {
            assertThatThrownBy(() -> fal.status(APP, ID, false))
                    .isInstanceOfSatisfying(FalException.class, e -> {
                        assertThat(e).isNotInstanceOf(FalHttpException.class);
                        assertThat(e.getMessage()).contains("malformed JSON").contains("{\"status\": \"IN_QUEUE\", oops");
                        // a short excerpt, not the whole body
                        assertThat(e.getMessage().length()).isLessThan(500);
                        assertThat(e.requestId()).contains(ID);
                    });
        }
    }

    @Test
    void responseLargerThanMaxInMemorySizeFailsFast(WireMockRuntimeInfo wm) {
        stubFor(resultStub(APP, ID).willReturn(okJson("{\"data\":\"" + "a".repeat(5000) + "\"}")));
        stubFor(statusStub(APP, ID).willReturn(okJson(completed())));
        try (FalClient fal = builder(wm).maxInMemorySize(1024).build()) {
            // not the wait timing out (FalTimeoutException) nor a retry loop (more calls below): the first answer
            assertThatThrownBy(() -> fal.handle(APP, ID).get())
                    .isInstanceOfSatisfying(FalResponseException.class, e -> {
                        assertThat(e.getMessage()).contains("1024").contains("maxInMemorySize");
                        assertThat(e.requestId()).contains(ID);
                    });
        }
        // not retried
        wm.getWireMock().verifyThat(1, getRequestedFor(urlPathEqualTo(requestPath(APP, ID))));
    }

    @Test
    void typedMappingOfResultAndRun(WireMockRuntimeInfo wm) {
        stubFor(statusStub(APP, ID).willReturn(okJson(completed())));
        stubFor(resultStub(APP, ID).willReturn(okJson("{\"name\":\"n\",\"count\":3,\"extra\":true}")));
        stubFor(post(urlPathEqualTo(RUN + "/" + APP)).willReturn(okJson("{\"name\":\"r\",\"count\":4}")));
        try (FalClient fal = client(wm)) {
            assertThat(fal.handle(APP, ID).get(Output.class)).isEqualTo(new Output("n", 3));
            assertThat(fal.result(APP, ID, Output.class)).isEqualTo(new Output("n", 3));
            assertThat(fal.run(APP, Map.of(), Output.class)).isEqualTo(new Output("r", 4));
            StepVerifier.create(fal.async().run(APP, Map.of(), Output.class))
                    .expectNext(new Output("r", 4)).verifyComplete();
        }
    }

    @Test
    void typedMappingFailure(WireMockRuntimeInfo wm) {
        stubFor(statusStub(APP, ID).willReturn(okJson(completed())));
        stubFor(resultStub(APP, ID).willReturn(okJson("{\"name\":\"n\",\"count\":\"many\"}")));
        stubFor(post(urlPathEqualTo(RUN + "/" + APP)).willReturn(okJson("[1,2]")));
        try (FalClient fal = client(wm)) {
            assertThatThrownBy(() -> fal.handle(APP, ID).get(Output.class))
                    .isInstanceOfSatisfying(FalException.class, e -> {
                        assertThat(e.getMessage()).contains(Output.class.getName());
                        assertThat(e.requestId()).contains(ID);
                    });
            assertThatThrownBy(() -> fal.run(APP, Map.of(), Output.class)).isInstanceOf(FalException.class)
                    .hasMessageContaining("cannot be mapped");
        }
    }

    @Test
    void unserialisableArgumentsAreRejectedBeforeSending(WireMockRuntimeInfo wm) {
        Map<String, Object> cyclic = new HashMap<>();
        cyclic.put("self", cyclic);
        List<Object> cyclicList = new ArrayList<>();
        cyclicList.add(cyclicList);
        try (FalClient fal = client(wm)) {
            assertThatThrownBy(() -> fal.submit(APP, new Exploding()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(Exploding.class.getName());
            assertThatThrownBy(() -> fal.submit(APP, new SelfRef())).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> fal.run(APP, cyclic)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> fal.subscribe(APP, cyclicList)).isInstanceOf(IllegalArgumentException.class);
            // the reactive client validates eagerly too, before subscription
            assertThatThrownBy(() -> fal.async().submit(APP, new SelfRef()))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        wm.getWireMock().verifyThat(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void submitErrorIsNotRetriedAndCarriesNoRequestIdWhenNoneSent(WireMockRuntimeInfo wm) {
        stubFor(post(urlPathEqualTo(QUEUE + "/" + APP)).willReturn(json(400,
                "{\"detail\":\"Invalid timeout\",\"error_type\":\"bad_request\"}")));
        try (FalClient fal = builder(wm).maxAttempts(5).build()) {
            assertThatThrownBy(() -> fal.submit(APP, Map.of()))
                    .isInstanceOfSatisfying(FalHttpException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.errorType()).isEqualTo("bad_request");
                        assertThat(e.requestId()).isEmpty();
                    });
        }
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(QUEUE + "/" + APP)));
    }
}
