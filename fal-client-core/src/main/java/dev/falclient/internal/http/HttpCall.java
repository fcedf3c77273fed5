package dev.falclient.internal.http;

import dev.falclient.FalRequest;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;

/**
 * One HTTP call to fal, built by the factory of its kind.
 *
 * @param responseTimeout {@code null}: the client's response timeout
 * @param endpointId      the endpoint id the call is about, named in its errors
 * @param requestId       fal's request id when known, carried by every error of the call
 */
public record HttpCall(Kind kind, HttpMethod method, URI uri, byte @Nullable [] body,
                       Map<String, String> headers, String endpointId, @Nullable String requestId,
                       @Nullable Duration responseTimeout) {

    /** What the call does; decides its retry rules. */
    public enum Kind {
        SUBMIT, RUN, STREAM, STATUS, STATUS_STREAM, RESULT, CANCEL,
        /** A call to fal's REST storage API (CDN token, upload initiation): sent with the fal key. */
        STORAGE,
        /** The short-lived realtime token from fal's REST API: sent with the fal key, safe to repeat. */
        REALTIME_TOKEN,
        /** A call to a storage host (CDN, pre-signed URL): never sent with the fal key. */
        UPLOAD
    }

    public static HttpCall submit(URI uri, byte[] body, Map<String, String> headers, String endpointId) {
        return new HttpCall(Kind.SUBMIT, HttpMethod.POST, uri, body, headers, endpointId, null, null);
    }

    public static HttpCall run(URI uri, byte[] body, Map<String, String> headers, String endpointId,
                               Duration responseTimeout) {
        return new HttpCall(Kind.RUN, HttpMethod.POST, uri, body, headers, endpointId, null, responseTimeout);
    }

    /** A streaming run: POSTed like a run, answered with server-sent events; bounded as a whole by {@code timeout}. */
    public static HttpCall stream(URI uri, byte[] body, Map<String, String> headers, String endpointId,
                                  Duration timeout) {
        return new HttpCall(Kind.STREAM, HttpMethod.POST, uri, body, headers, endpointId, null, timeout);
    }

    /** A JSON call to fal's REST storage API; safe to repeat. */
    public static HttpCall storage(HttpMethod method, URI uri, byte[] body, Map<String, String> headers) {
        return new HttpCall(Kind.STORAGE, method, uri, body, headers, null, null, null);
    }

    /** The realtime token call for {@code endpointId}'s app. */
    public static HttpCall realtimeToken(URI uri, byte[] body, String endpointId) {
        return new HttpCall(Kind.REALTIME_TOKEN, HttpMethod.POST, uri, body, Map.of(), endpointId, null, null);
    }

    /**
     * A call to a storage host, bounded by {@code deadline} across its attempts; {@code headers} carry its only
     * authorization (a CDN token), if any.
     */
    public static HttpCall upload(HttpMethod method, URI uri, byte[] body, Map<String, String> headers,
                                  Duration deadline) {
        return new HttpCall(Kind.UPLOAD, method, uri, body, headers, null, null, deadline);
    }

    public static HttpCall status(URI uri, FalRequest request) {
        return about(Kind.STATUS, HttpMethod.GET, uri, request);
    }

    /**
     * A status stream: {@code idleTimeout} bounds the wait for the answer and then for each read, keep-alive comments
     * included. Netty enforces it on the connection's own event loop, so a stream's many events cost no timer work.
     */
    public static HttpCall statusStream(URI uri, FalRequest request, Duration idleTimeout) {
        return new HttpCall(Kind.STATUS_STREAM, HttpMethod.GET, uri, null, Map.of(), request.endpointId(),
                request.requestId(), idleTimeout);
    }

    public static HttpCall result(URI uri, FalRequest request) {
        return about(Kind.RESULT, HttpMethod.GET, uri, request);
    }

    public static HttpCall cancel(URI uri, FalRequest request) {
        return about(Kind.CANCEL, HttpMethod.PUT, uri, request);
    }

    private static HttpCall about(Kind kind, HttpMethod method, URI uri, FalRequest request) {
        return new HttpCall(kind, method, uri, null, Map.of(), request.endpointId(), request.requestId(), null);
    }

    /**
     * The low-cardinality URI template reported as the {@code uri} of {@code http.client.requests} (WebClient's
     * observation): the path shape of the call's kind, never a request id, a sub-path or an upload URL.
     */
    public String uriTemplate() {
        return switch (kind) {
            case SUBMIT, RUN -> "/{endpoint}";
            case STREAM -> "/{endpoint}/stream";
            case STATUS -> "/{endpoint}/requests/{request_id}/status";
            case STATUS_STREAM -> "/{endpoint}/requests/{request_id}/status/stream";
            case RESULT -> "/{endpoint}/requests/{request_id}";
            case CANCEL -> "/{endpoint}/requests/{request_id}/cancel";
            // fal's REST storage API paths carry no ids (CDN token, upload initiation)
            case REALTIME_TOKEN -> "/tokens/";
            case STORAGE -> uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            case UPLOAD -> "/{upload}";
        };
    }

    /** A POST that hands fal work to do (and bill): sending it twice may run it twice. */
    public boolean isSubmit() {
        return kind == Kind.SUBMIT || kind == Kind.RUN || kind == Kind.STREAM;
    }

    /** The same call, its errors carrying fal's request id (known once fal answered). */
    HttpCall withRequestId(String falRequestId) {
        return falRequestId == null ? this
                : new HttpCall(kind, method, uri, body, headers, endpointId, falRequestId, responseTimeout);
    }
}
