package dev.falclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointIdTests {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // id                          | namespace | owner   | alias        | path     | full                     | app
            "fal-ai/flux/dev               | ''        | fal-ai  | flux         | dev      | fal-ai/flux/dev          | fal-ai/flux",
            "fal-ai/fast-sdxl              | ''        | fal-ai  | fast-sdxl    | ''       | fal-ai/fast-sdxl         | fal-ai/fast-sdxl",
            "fal-ai/flux-lora/image-to-image/v2 | ''   | fal-ai  | flux-lora    | image-to-image/v2 | fal-ai/flux-lora/image-to-image/v2 | fal-ai/flux-lora",
            "workflows/fal-ai/sdxl-sticker | workflows | fal-ai  | sdxl-sticker | ''       | workflows/fal-ai/sdxl-sticker | workflows/fal-ai/sdxl-sticker",
            "comfy/owner/app/sub           | comfy     | owner   | app          | sub      | comfy/owner/app/sub      | comfy/owner/app",
            "1234-myapp                    | ''        | 1234    | myapp        | ''       | 1234/myapp               | 1234/myapp",
            "1234-my-app-2                 | ''        | 1234    | my-app-2     | ''       | 1234/my-app-2            | 1234/my-app-2",
            "'  fal-ai/flux  '             | ''        | fal-ai  | flux         | ''       | fal-ai/flux              | fal-ai/flux",
            "fal-ai/flux.1/v1.5            | ''        | fal-ai  | flux.1       | v1.5     | fal-ai/flux.1/v1.5       | fal-ai/flux.1",
    })
    void parsesEveryShape(String raw, String namespace, String owner, String alias, String path, String full,
                          String app) {
        EndpointId id = EndpointId.parse(raw);
        assertThat(id.namespace()).isEqualTo(namespace);
        assertThat(id.owner()).isEqualTo(owner);
        assertThat(id.alias()).isEqualTo(alias);
        assertThat(id.path()).isEqualTo(path);
        assertThat(id.toString()).isEqualTo(full);
        assertThat(String.join("/", id.fullSegments())).isEqualTo(full);
        assertThat(id.appId()).isEqualTo(app);
        assertThat(String.join("/", id.appSegments())).isEqualTo(app);
    }

    @ParameterizedTest(name = "[{0}]")
    @NullSource
    @ValueSource(strings = {"", "   ", "justname", "a//b", "/x", "x/", "workflows/only", "fal-ai/flux dev",
            "abc-myapp", "1234_myapp", "fal-ai/fl?ux", "fal-ai/../admin", "../fal-ai/flux", "fal-ai/flux/..",
            "fal-ai/./flux", "fal-ai/flux/dev/../../x", "workflows/../a/b"})
    void rejectsMalformedIdsNamingTheFormat(String raw) {
        assertThatThrownBy(() -> EndpointId.parse(raw))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("owner/alias");
    }

    @Test
    void segmentsKeepNamespaceAndDropSubPathForRequestCalls() {
        EndpointId id = EndpointId.parse("workflows/me/wf/extra/deep");
        assertThat(id.appSegments()).containsExactly("workflows", "me", "wf");
        assertThat(id.fullSegments()).containsExactly("workflows", "me", "wf", "extra", "deep");
        assertThat(id.path()).isEqualTo("extra/deep");
    }

    @Test
    void canonicalConstructorNormalisesNulls() {
        EndpointId id = new EndpointId(null, "o", "a", null);
        assertThat(id.namespace()).isEmpty();
        assertThat(id.path()).isEmpty();
        assertThat(id.appSegments()).isEqualTo(List.of("o", "a"));
        assertThatThrownBy(() -> new EndpointId("", null, "a", "")).isInstanceOf(NullPointerException.class);
    }
}
