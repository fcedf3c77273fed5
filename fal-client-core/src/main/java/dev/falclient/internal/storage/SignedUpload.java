package dev.falclient.internal.storage;

import dev.falclient.internal.http.FalTransport;
import dev.falclient.internal.http.HttpCall;
import dev.falclient.internal.json.FalJson;
import dev.falclient.settings.StorageSettings;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * fal's REST-initiated signed upload (fal-protocol.md 7.1 B), the fallback: {@code POST
 * {restUrl}/storage/upload/initiate?storage_type=fal-cdn-v3} with the fal key, then one {@code PUT} of the bytes
 * (streamed) to the pre-signed {@code upload_url} with no credentials at all.
 */
final class SignedUpload {

    private final FalTransport transport;
    private final FalJson json;
    private final StorageSettings settings;
    private final URI initiateUri;

    SignedUpload(FalTransport transport, FalJson json, StorageSettings settings, String restUrl) {
        this.transport = transport;
        this.json = json;
        this.settings = settings;
        this.initiateUri = URI.create(restUrl + "/storage/upload/initiate?storage_type=fal-cdn-v3");
    }

    Mono<String> upload(UploadRequest request) {
        byte[] body = json.write(JsonNodeFactory.instance.objectNode().put("content_type", request.contentType())
                .put("file_name", request.fileName()));
        HttpCall initiate = HttpCall.storage(HttpMethod.POST, initiateUri, body, request.lifecycle());
        return transport.json(initiate).flatMap(reply -> {
            String uploadUrl = field(reply, "upload_url");
            String fileUrl = field(reply, "file_url");
            long size = request.source().size();
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put(HttpHeaders.CONTENT_TYPE, request.contentType());
            headers.put(HttpHeaders.CONTENT_LENGTH, Long.toString(size));
            // one piece even for a file that the CDN flow would have sent in parts
            HttpCall put = HttpCall.upload(HttpMethod.PUT, URI.create(uploadUrl), null, headers,
                    size > settings.multipartThreshold() ? settings.uploadTimeout() : settings.partTimeout());
            return transport.upload(put, () -> request.source().read(0, size)).thenReturn(fileUrl);
        });
    }

    private static String field(JsonNode reply, String name) {
        String value = FalJson.text(reply, name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("fal's upload initiation reply has no " + name);
        }
        return value;
    }
}
