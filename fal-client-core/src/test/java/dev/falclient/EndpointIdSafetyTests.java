package dev.falclient;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static dev.falclient.FalTestSupport.builder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code .} and {@code ..} segments are refused in endpoint ids and sub-paths: a server resolves them, so an id taken
 * from user input could reach another endpoint, or leave a gateway's path prefix, carrying the key.
 */
@WireMockTest
class EndpointIdSafetyTests {

    private static final String DOT_SEGMENTS = "segments are not allowed";

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"fal-ai/../admin", "../fal-ai/flux", "fal-ai/flux/..", "fal-ai/flux/dev/../../other",
            "./fal-ai/flux", "fal-ai/./flux", "fal-ai/flux/.", "workflows/../x/y", "comfy/o/a/..",
            "workflows/o/a/./b"})
    void dotSegmentsInIdsAreRefused(String id) {
        assertThatThrownBy(() -> EndpointId.parse(id)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Invalid endpoint id '" + id + "'").hasMessageContaining(DOT_SEGMENTS);
    }

    @Test
    void theRecordConstructorRefusesThemToo() {
        assertThatThrownBy(() -> new EndpointId("", "..", "flux", "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(DOT_SEGMENTS);
        assertThatThrownBy(() -> new EndpointId("", "fal-ai", ".", "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EndpointId("", "fal-ai", "flux", "dev/../../x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void dotsInsideNamesAreFine() {
        assertThat(EndpointId.parse("fal-ai/flux.1/v1.5").toString()).isEqualTo("fal-ai/flux.1/v1.5");
        assertThat(EndpointId.parse("fal-ai/.hidden/...").path()).isEqualTo("...");
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"..", ".", "../admin", "a/../../b", "a/./b", "image-to-image/..", "..\\admin",
            "a\\..\\b"})
    void dotSegmentsInTheSubPathOptionAreRefused(String path) {
        assertThatThrownBy(() -> SubmitOptions.builder().path(path)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Invalid path").hasMessageContaining(DOT_SEGMENTS);
        assertThatThrownBy(() -> RunOptions.builder().path(path)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SubscribeOptions.builder().path(path)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ordinarySubPathsAreFine() {
        assertThatCode(() -> SubmitOptions.builder().path("image-to-image/v1.5").path("/edit/").path(null))
                .doesNotThrowAnyException();
    }

    @Test
    void nothingIsSentForAnIdThatStepsOut(WireMockRuntimeInfo wm) {
        try (FalClient fal = builder(wm).build()) {
            assertThatThrownBy(() -> fal.submit("fal-ai/../../admin", Map.of()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(DOT_SEGMENTS);
            assertThatThrownBy(() -> fal.run("fal-ai/flux", Map.of(), RunOptions.builder().path("../x").build()))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> fal.status("fal-ai/..", "req-1", false))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        wm.getWireMock().verifyThat(0, anyRequestedFor(anyUrl()));
    }
}
