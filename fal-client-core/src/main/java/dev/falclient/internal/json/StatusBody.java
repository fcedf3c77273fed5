package dev.falclient.internal.json;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * fal's status JSON, read straight from the bytes (no intermediate tree of the whole body). Fields whose shape fal
 * does not promise stay {@link JsonNode}s.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StatusBody(String status,
                         @JsonProperty("queue_position") JsonNode queuePosition,
                         List<JsonNode> logs,
                         JsonNode metrics,
                         JsonNode error,
                         @JsonProperty("error_type") JsonNode errorType) {
}
