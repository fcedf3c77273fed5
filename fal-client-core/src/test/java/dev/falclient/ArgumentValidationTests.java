package dev.falclient;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
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
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/** Arguments whose data Jackson would lose, or that are no JSON object, are refused before anything is sent. */
@WireMockTest
class ArgumentValidationTests {

    private static final String APP = "fal-ai/flux";
    private static final String UPLOAD = "fal takes files as URLs: pass a Path, File or Spring Resource (uploaded "
            + "automatically)";
    private static final String OBJECT = "fal expects a JSON object as arguments (a Map, record, POJO or ObjectNode)";

    /** Only private state: Jackson sees no property and would write {}. */
    static final class PrivateOnly {
        @SuppressWarnings("unused")
        private final String prompt = "a cat";
    }

    record WithStream(String prompt, InputStream image) {
    }

    record Prompt(String prompt) {
    }

    private static void assertNothingSent(WireMockRuntimeInfo wm) {
        wm.getWireMock().verifyThat(0, anyRequestedFor(anyUrl()));
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                // what                     | arguments                                   | message parts
                Arguments.of("plain Object", new Object(),
                        List.of("arguments of type java.lang.Object cannot be sent", "would be sent as {}")),
                Arguments.of("only private fields", new PrivateOnly(),
                        List.of(PrivateOnly.class.getName(), "no properties Jackson can see", "would be sent as {}")),
                Arguments.of("empty bean nested", Map.of("config", new Object()),
                        List.of("contain a java.lang.Object at 'config'", "would be sent as {}")),
                Arguments.of("InputStream", new ByteArrayInputStream(new byte[] {1, 2}),
                        List.of("java.io.ByteArrayInputStream cannot be sent", UPLOAD)),
                Arguments.of("InputStream in a record", new WithStream("p", new ByteArrayInputStream(new byte[1])),
                        List.of("contain a java.io.ByteArrayInputStream at 'image'", UPLOAD)),
                Arguments.of("InputStream in a list", Map.of("images", List.of("https://x/a.png",
                                new ByteArrayInputStream(new byte[1]))),
                        List.of("at 'images[1]'", UPLOAD)),
                Arguments.of("Reader", Map.of("text", new StringReader("hello")),
                        List.of("java.io.StringReader at 'text'", UPLOAD)),
                Arguments.of("missing File", Map.of("image", new File("/nonexistent/cat.png")),
                        List.of("java.io.File at 'image'", "no readable file there")),
                Arguments.of("missing Path", Map.of("image", Path.of("/nonexistent/cat.png")),
                        List.of("at 'image'", "/nonexistent/cat.png")),
                Arguments.of("byte[]", Map.of("image", new byte[] {1, 2, 3}),
                        List.of("contain a byte[] at 'image'", UPLOAD)),
                Arguments.of("ByteBuffer", Map.of("image", ByteBuffer.wrap(new byte[] {1})),
                        List.of("at 'image'", UPLOAD)),
                Arguments.of("String", "a cat", List.of(OBJECT, "java.lang.String is written as a JSON string")),
                Arguments.of("number", 42, List.of(OBJECT, "java.lang.Integer is written as a JSON number")),
                Arguments.of("boolean", true, List.of(OBJECT, "is written as a JSON boolean")),
                Arguments.of("List", List.of(Map.of("prompt", "a")), List.of(OBJECT, "is written as a JSON array")),
                Arguments.of("array", new String[] {"a"}, List.of(OBJECT, "java.lang.String[] is written as a JSON array")),
                Arguments.of("ArrayNode", JsonNodeFactory.instance.arrayNode().add(1),
                        List.of(OBJECT, "ArrayNode is written as a JSON array")),
                Arguments.of("TextNode", JsonNodeFactory.instance.stringNode("a cat"),
                        List.of(OBJECT, "is written as a JSON string")),
                Arguments.of("NullNode", JsonNodeFactory.instance.nullNode(), List.of(OBJECT, "JSON null")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusedBeforeSending(String what, Object arguments, List<String> messageParts, WireMockRuntimeInfo wm) {
        try (FalClient fal = builder(wm).build()) {
            assertThatThrownBy(() -> fal.submit(APP, arguments)).isInstanceOf(IllegalArgumentException.class)
                    .satisfies(e -> assertThat(e.getMessage()).contains(messageParts).hasSizeLessThan(1_000));
            assertThatThrownBy(() -> fal.run(APP, arguments)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> fal.subscribe(APP, arguments)).isInstanceOf(IllegalArgumentException.class);
            // eagerly, before subscription
            assertThatThrownBy(() -> fal.async().submit(APP, arguments)).isInstanceOf(IllegalArgumentException.class);
        }
        assertNothingSent(wm);
    }

    @Test
    void aSelfReferencingMapGivesAShortMessage(WireMockRuntimeInfo wm) {
        Map<String, Object> cyclic = new HashMap<>();
        cyclic.put("self", cyclic);
        try (FalClient fal = builder(wm).build()) {
            assertThatThrownBy(() -> fal.submit(APP, cyclic)).isInstanceOf(IllegalArgumentException.class)
                    .satisfies(e -> {
                        assertThat(e.getMessage()).hasSizeLessThan(1_000).contains("java.util.HashMap")
                                .contains("does a value contain itself?");
                        assertThat(e.toString()).hasSizeLessThan(1_100);
                        // Jackson's own message lists every level of the nesting: ~14,000 characters in a log
                        for (Throwable t = e; t != null; t = t.getCause()) {
                            assertThat(String.valueOf(t.getMessage())).hasSizeLessThan(1_000);
                        }
                    });
        }
        assertNothingSent(wm);
    }

    @Test
    void theRulesHoldForAnApplicationMapperToo(WireMockRuntimeInfo wm) {
        // a mapper that explicitly lets empty beans through, and writes byte[] as base64 like every mapper
        JsonMapper lenient = JsonMapper.builder().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS).build();
        try (FalClient fal = builder(wm).jsonMapper(lenient).build()) {
            assertThatThrownBy(() -> fal.submit(APP, new PrivateOnly())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("would be sent as {}");
            assertThatThrownBy(() -> fal.submit(APP, Map.of("image", new ByteArrayInputStream(new byte[1]))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(UPLOAD);
            assertThatThrownBy(() -> fal.submit(APP, List.of())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(OBJECT);
        }
        assertNothingSent(wm);
        // the application's mapper itself is left as it was
        assertThat(lenient.writeValueAsString(new PrivateOnly())).isEqualTo("{}");
    }

    /** The usual shapes still go through, with exactly the JSON the mapper writes. */
    @Test
    void objectsOfEveryUsualShapeAreSent(WireMockRuntimeInfo wm) {
        stubFor(post(urlPathEqualTo(RUN + "/" + APP)).willReturn(okJson("{\"ok\":true}")));
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("prompt", "a cat");
        nested.put("sizes", new ArrayList<>(List.of(1, 2)));
        nested.put("none", null);
        try (FalClient fal = builder(wm).build()) {
            fal.run(APP, Map.of());
            fal.run(APP, new Prompt("a cat"));
            fal.run(APP, nested);
            fal.run(APP, JsonNodeFactory.instance.objectNode().put("prompt", "a cat"));
        }
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(RUN + "/" + APP)).withRequestBody(
                equalToJson("{\"prompt\":\"a cat\",\"sizes\":[1,2],\"none\":null}")));
        wm.getWireMock().verifyThat(2, postRequestedFor(urlPathEqualTo(RUN + "/" + APP)).withRequestBody(
                equalToJson("{\"prompt\":\"a cat\"}")));
        wm.getWireMock().verifyThat(1, postRequestedFor(urlPathEqualTo(RUN + "/" + APP)).withRequestBody(
                equalToJson("{}")));
    }
}
