package dev.falclient.emulator;

import io.netty.handler.codec.http.HttpHeaders;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * fal's storage (fal-protocol.md section 7): the CDN token on the REST host, uploads in one piece or in parts on the
 * CDN (with the token), the REST-initiated pre-signed upload (no credentials: a request that carries an
 * Authorization header is refused, as a signed-URL store refuses it), and every stored file served back with its
 * type and bytes. Generated images are served as before.
 */
final class StorageHandlers {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final String FILE_NAME = "X-Fal-File-Name";
    private static final String LIFECYCLE = "X-Fal-Object-Lifecycle";

    private final StoredFiles files;
    private final DefaultOutputs outputs;
    private final String filesUrl;
    private final String signedUrl;

    StorageHandlers(StoredFiles files, DefaultOutputs outputs, String baseUrl, String cdnUrl) {
        this.files = files;
        this.outputs = outputs;
        this.filesUrl = cdnUrl + "/files/";
        this.signedUrl = baseUrl + Routes.SIGNED_PATH + "/";
    }

    Reply handle(Call.Storage call, HttpHeaders headers, byte[] body) {
        Instant now = Instant.now();
        return switch (call.kind()) {
            case STORAGE_TOKEN -> Replies.json(200, null, Replies.NODES.objectNode()
                    .put("token", files.issueToken(now)).put("token_type", "Bearer")
                    .put("base_url", filesUrl.substring(0, filesUrl.length() - "/files/".length()))
                    .put("expires_at", now.plus(StoredFiles.TOKEN_LIFETIME).toString()));
            case UPLOAD_INITIATE -> initiate(body);
            case SIGNED_UPLOAD -> signed(call, headers, body);
            default -> withToken(call, headers, body, now);
        };
    }

    private Reply withToken(Call.Storage call, HttpHeaders headers, byte[] body, Instant now) {
        String auth = headers.get("Authorization");
        String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7).trim() : null;
        if (!files.validToken(token, now)) {
            return Replies.detail(401, token == null ? "Missing CDN token" : "Invalid or expired token");
        }
        String type = contentType(headers);
        return switch (call.kind()) {
            case UPLOAD -> {
                String name = StoredFiles.newName(headers.get(FILE_NAME));
                store(name, headers.get(FILE_NAME), type, body, CallKind.UPLOAD, headers.get(LIFECYCLE));
                yield Replies.json(200, null, Replies.NODES.objectNode().put("access_url", filesUrl + name));
            }
            case MULTIPART_START -> {
                String name = StoredFiles.newName(headers.get(FILE_NAME));
                String uploadId = files.startSession(name, headers.get(FILE_NAME), type, headers.get(LIFECYCLE));
                yield Replies.json(200, null, Replies.NODES.objectNode().put("access_url", filesUrl + name)
                        .put("uploadId", uploadId));
            }
            case UPLOAD_PART -> part(call, body);
            case MULTIPART_COMPLETE -> complete(call, body);
            default -> Replies.detail(404, "Not Found");
        };
    }

    private Reply part(Call.Storage call, byte[] body) {
        StoredFiles.Session session = files.session(call.uploadId());
        if (session == null || !session.file().equals(call.file())) {
            return Replies.detail(404, "Unknown upload " + call.uploadId());
        }
        String etag = "\"" + md5(body) + "\"";
        session.parts().put(call.part(), body);
        session.etags().put(call.part(), etag);
        return new Reply.Body(200, Replies.JSON, Map.of("ETag", etag), "{}".getBytes(StandardCharsets.UTF_8));
    }

    private Reply complete(Call.Storage call, byte[] body) {
        StoredFiles.Session session = files.session(call.uploadId());
        if (session == null || !session.file().equals(call.file())) {
            return Replies.detail(404, "Unknown upload " + call.uploadId());
        }
        JsonNode parts;
        try {
            parts = MAPPER.readTree(body).path("parts");
        } catch (JacksonException e) {
            return Replies.detail(400, "Invalid JSON body: " + e.getOriginalMessage());
        }
        TreeMap<Integer, String> listed = new TreeMap<>();
        for (JsonNode p : parts) {
            listed.put(p.path("partNumber").asInt(), p.path("etag").asString(""));
        }
        if (listed.isEmpty() || !listed.keySet().equals(new TreeMap<>(session.parts()).keySet())
                || listed.firstKey() != 1 || listed.lastKey() != listed.size()) {
            return Replies.detail(400, "The parts listed " + listed.keySet() + " are not the parts received "
                    + new TreeMap<>(session.parts()).keySet());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<Integer, String> p : listed.entrySet()) {
            if (!p.getValue().equals(session.etags().get(p.getKey()))) {
                return Replies.detail(400, "Wrong ETag for part " + p.getKey());
            }
            out.writeBytes(session.parts().get(p.getKey()));
        }
        files.endSession(call.uploadId());
        store(session.file(), session.fileName(), session.contentType(), out.toByteArray(),
                CallKind.MULTIPART_COMPLETE, session.lifecycle());
        return Replies.json(200, null, Replies.NODES.objectNode().put("access_url", filesUrl + session.file()));
    }

    private Reply initiate(byte[] body) {
        JsonNode request;
        try {
            request = MAPPER.readTree(body);
        } catch (JacksonException e) {
            return Replies.detail(422, "Invalid JSON body: " + e.getOriginalMessage());
        }
        String fileName = request.path("file_name").asString("upload.bin");
        String type = request.path("content_type").asString("application/octet-stream");
        String name = StoredFiles.newName(fileName);
        String id = files.sign(name, fileName, type, null);
        return Replies.json(200, null, Replies.NODES.objectNode()
                .put("upload_url", signedUrl + id + "?X-Goog-Signature=emulated")
                .put("file_url", filesUrl + name));
    }

    private Reply signed(Call.Storage call, HttpHeaders headers, byte[] body) {
        if (headers.contains("Authorization")) {
            return Replies.detail(400, "A pre-signed URL takes no Authorization header");
        }
        StoredFiles.Pending pending = files.takeSigned(call.file());
        if (pending == null) {
            return Replies.detail(403, "Unknown or used upload URL");
        }
        String type = headers.get("Content-Type") == null ? pending.contentType() : contentType(headers);
        store(pending.file(), pending.fileName(), type, body, CallKind.SIGNED_UPLOAD, pending.lifecycle());
        return new Reply.Body(200, "text/plain", Map.of(), new byte[0]);
    }

    /** Serves an uploaded file with its type and bytes; any other {@code .png} name renders a generated image. */
    Mono<Reply> file(String name) {
        StoredFiles.Stored stored = files.get(name);
        if (stored != null) {
            return Mono.just(new Reply.Body(200, stored.info().contentType(), Map.of(), stored.bytes()));
        }
        return outputs.file(name);
    }

    private void store(String name, String fileName, String type, byte[] bytes, CallKind flow, String lifecycle) {
        files.put(name, new UploadedFile(filesUrl + name, fileName == null ? "upload.bin" : fileName, type,
                bytes.length, flow, lifecycle), bytes);
    }

    private static String contentType(HttpHeaders headers) {
        String type = headers.get("Content-Type");
        return type == null || type.isBlank() ? "application/octet-stream" : type;
    }

    private static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
