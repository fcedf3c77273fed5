package dev.falclient.internal.storage;

import dev.falclient.FalHttpException;
import dev.falclient.internal.http.FalTransport;
import dev.falclient.internal.http.HttpCall;
import dev.falclient.internal.http.Reply;
import dev.falclient.internal.json.FalJson;
import dev.falclient.settings.StorageSettings;
import java.net.URI;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * fal's CDN v3 flow (fal-protocol.md 7.1 A): one {@code POST {cdnUrl}/files/upload}, or, above the multipart
 * threshold, create, parts ({@code PUT {access_url}/multipart/{uploadId}/{n}}, in parallel, bounded, each retried
 * on its own) and complete. Every call carries the CDN token, never the fal key. A token the CDN refuses (401) is
 * replaced once.
 */
final class CdnUpload {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final FalTransport transport;
    private final FalJson json;
    private final CdnTokens tokens;
    private final StorageSettings settings;
    private final String cdnUrl;

    CdnUpload(FalTransport transport, FalJson json, CdnTokens tokens, StorageSettings settings, String cdnUrl) {
        this.transport = transport;
        this.json = json;
        this.tokens = tokens;
        this.settings = settings;
        this.cdnUrl = cdnUrl;
    }

    Mono<String> upload(UploadRequest request) {
        return request.source().size() > settings.multipartThreshold() ? multipart(request) : single(request);
    }

    private Mono<String> single(UploadRequest request) {
        long size = request.source().size();
        return withToken(token -> {
            HttpCall call = HttpCall.upload(HttpMethod.POST, URI.create(cdnUrl + "/files/upload"), null,
                    headers(token, request, size), settings.partTimeout());
            return transport.upload(call, () -> request.source().read(0, size))
                    .map(reply -> field(transport.parse(reply, call), "access_url", call));
        });
    }

    private Mono<String> multipart(UploadRequest request) {
        long size = request.source().size();
        int partSize = settings.partSize();
        int parts = Math.toIntExact((size + partSize - 1) / partSize);
        return withToken(token -> {
            HttpCall call = HttpCall.upload(HttpMethod.POST, URI.create(cdnUrl + "/files/upload/multipart"), null,
                    headers(token, request, -1), settings.partTimeout());
            return transport.upload(call, null).map(reply -> transport.parse(reply, call))
                    .map(reply -> new Started(field(reply, "access_url", call), field(reply, "uploadId", call)));
        }).flatMap(started -> Flux.range(1, parts)
                .flatMap(n -> part(request, started, n, parts), settings.parallelism())
                .collectSortedList(Comparator.comparingInt(Part::number))
                .flatMap(done -> complete(started, done))
                .thenReturn(started.accessUrl()));
    }

    private record Started(String accessUrl, String uploadId) {
    }

    private record Part(int number, String etag) {
    }

    private Mono<Part> part(UploadRequest request, Started started, int number, int parts) {
        long offset = (long) (number - 1) * settings.partSize();
        long length = Math.min(settings.partSize(), request.source().size() - offset);
        URI uri = URI.create(started.accessUrl() + "/multipart/" + started.uploadId() + "/" + number);
        return withToken(token -> {
            Map<String, String> headers = headers(token, request, length);
            headers.remove(Lifecycle.HEADER);
            headers.remove(Lifecycle.PREFERENCE_HEADER);
            headers.remove("X-Fal-File-Name");
            // without it a compressing proxy may drop the ETag the completion needs
            headers.put(HttpHeaders.ACCEPT_ENCODING, "identity");
            HttpCall call = HttpCall.upload(HttpMethod.PUT, uri, null, headers, settings.partTimeout());
            return transport.upload(call, () -> request.source().read(offset, length))
                    .map(reply -> new Part(number, etag(reply, number)));
        }).onErrorMap(e -> new PartFailure(number, parts, e));
    }

    private static String etag(Reply reply, int number) {
        String etag = reply.headers().getETag();
        if (etag == null || etag.isBlank()) {
            throw new IllegalStateException("fal's CDN answered part " + number + " without an ETag header");
        }
        return etag;
    }

    private Mono<Void> complete(Started started, List<Part> parts) {
        ObjectNode body = NODES.objectNode();
        var list = body.putArray("parts");
        parts.forEach(p -> list.addObject().put("partNumber", p.number()).put("etag", p.etag()));
        byte[] bytes = json.write(body);
        URI uri = URI.create(started.accessUrl() + "/multipart/" + started.uploadId() + "/complete");
        return withToken(token -> {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put(HttpHeaders.AUTHORIZATION, token.authorization());
            headers.put(HttpHeaders.CONTENT_TYPE, "application/json");
            return transport.upload(HttpCall.upload(HttpMethod.POST, uri, bytes, headers, settings.partTimeout()),
                    null);
        }).then();
    }

    /** Runs {@code call} with the current token; when the CDN refuses it, once more with a new one. */
    private <T> Mono<T> withToken(Function<CdnToken, Mono<T>> call) {
        return tokens.get().flatMap(token -> call.apply(token)
                .onErrorResume(e -> e instanceof FalHttpException http && http.statusCode() == 401, e -> {
                    tokens.invalidate(token);
                    return tokens.get().flatMap(call);
                }));
    }

    /** {@code size} below 0: no body. */
    private static Map<String, String> headers(CdnToken token, UploadRequest request, long size) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(HttpHeaders.AUTHORIZATION, token.authorization());
        headers.put(HttpHeaders.CONTENT_TYPE, request.contentType());
        if (size >= 0) {
            headers.put(HttpHeaders.CONTENT_LENGTH, Long.toString(size));
        }
        headers.put("X-Fal-File-Name", request.fileName());
        headers.putAll(request.lifecycle());
        return headers;
    }

    private static String field(JsonNode reply, String name, HttpCall call) {
        String value = FalJson.text(reply, name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("fal's CDN reply to " + call.method() + " " + call.uri().getPath()
                    + " has no " + name);
        }
        return value;
    }
}
