package dev.falclient.internal.storage;

import dev.falclient.settings.StorageSettings;
import dev.falclient.storage.InitialAcl;
import dev.falclient.storage.UploadOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The lifecycle headers of an upload: {@code {"expiration_duration_seconds": n, "initial_acl": {...}}}, sent as
 * {@code X-Fal-Object-Lifecycle} and, as fal's Python client does, {@code X-Fal-Object-Lifecycle-Preference}. Empty
 * parts are left out; nothing at all is sent when both are empty.
 */
final class Lifecycle {

    static final String HEADER = "X-Fal-Object-Lifecycle";
    static final String PREFERENCE_HEADER = "X-Fal-Object-Lifecycle-Preference";
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Lifecycle() {
    }

    static Map<String, String> headers(UploadOptions options, StorageSettings settings) {
        OptionalLong seconds = StorageSettings.expirationSeconds(options.expiresIn()
                .orElse(settings.defaultExpiresIn()));
        ObjectNode lifecycle = JsonNodeFactory.instance.objectNode();
        seconds.ifPresent(s -> lifecycle.put("expiration_duration_seconds", s));
        options.initialAcl().ifPresent(acl -> lifecycle.set("initial_acl", acl(acl)));
        if (lifecycle.isEmpty()) {
            return Map.of();
        }
        String value = MAPPER.writeValueAsString(lifecycle);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(HEADER, value);
        headers.put(PREFERENCE_HEADER, value);
        return headers;
    }

    private static ObjectNode acl(InitialAcl acl) {
        ObjectNode node = JsonNodeFactory.instance.objectNode().put("default", acl.defaultDecision().wireValue());
        if (!acl.rules().isEmpty()) {
            var rules = node.putArray("rules");
            acl.rules().forEach((user, decision) -> rules.addObject().put("user", user)
                    .put("decision", decision.wireValue()));
        }
        return node;
    }
}
