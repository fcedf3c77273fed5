package dev.falclient.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.falclient.FalException;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class FalWebhookTests {

    record Image(String url) {
    }

    record Output(List<Image> images) {
    }

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @Test
    void okPayloadMapsOntoATypeIgnoringUnknownFields() {
        FalWebhook webhook = new FalWebhook("r", "g", FalWebhookStatus.OK,
                MAPPER.readTree("{\"images\":[{\"url\":\"u\",\"width\":1}],\"seed\":3}"), null, null);
        assertThat(webhook.payload(Output.class).images()).containsExactly(new Image("u"));
        assertThat(webhook.error()).isEmpty();
        assertThat(webhook.payloadError()).isEmpty();
    }

    @Test
    void errorDeliveryIsATypedFailureNamingTheStatusCode() {
        FalWebhook webhook = new FalWebhook("r", "g", FalWebhookStatus.ERROR,
                MAPPER.readTree("{\"detail\":[{\"loc\":[\"body\",\"prompt\"],\"msg\":\"field required\"}]}"),
                "Invalid status code: 422", null);
        assertThat(webhook.ok()).isFalse();
        FalWebhookErrorException failure = webhook.failure().orElseThrow();
        assertThat(failure.statusCode()).hasValue(422);
        assertThat(failure.requestId()).hasValue("r");
        assertThat(failure.payload().path("detail").get(0).path("msg").asString()).isEqualTo("field required");
        assertThat(failure).hasMessageContaining("Invalid status code: 422");
    }

    @Test
    void missingPayloadSaysWhyAndIsNeverJavaNull() {
        FalWebhook webhook = new FalWebhook("r", null, FalWebhookStatus.OK, null, null,
                "Object of type bytes is not JSON serializable");
        assertThat(webhook.payload().isNull()).isTrue();
        assertThat(webhook.gatewayRequestId()).isEmpty();
        assertThatThrownBy(() -> webhook.payload(Output.class)).isInstanceOf(FalException.class)
                .hasMessageContaining("not JSON serializable").hasMessageContaining("result");
    }

    @Test
    void blankRequestIdIsRefused() {
        assertThatThrownBy(() -> new FalWebhook(" ", null, FalWebhookStatus.OK, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("requestId");
    }
}
