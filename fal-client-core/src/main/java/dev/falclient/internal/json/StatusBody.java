package dev.falclient.internal.json;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * fal's status JSON, read straight from the bytes (no intermediate tree of the whole body). Fields whose shape fal
 * does not promise stay {@link JsonNode}s. A component is {@code null} when fal leaves its field out.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StatusBody(@Nullable String status,
                         @JsonProperty("queue_position") @Nullable JsonNode queuePosition,
                         @Nullable List<JsonNode> logs,
                         @Nullable JsonNode metrics,
                         @Nullable JsonNode error,
                         @JsonProperty("error_type") @Nullable JsonNode errorType) {
}
