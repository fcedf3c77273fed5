package dev.falclient.internal.http;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.springframework.http.HttpMethod;

/**
 * One HTTP call to fal, built by the factory of its kind.
 *
 * @param responseTimeout {@code null}: the client's response timeout
 * @param requestId       fal's request id when known, carried by every error of the call
 */
public record HttpCall(Kind kind, HttpMethod method, URI uri, byte[] body, Map<String, String> headers,
                       String requestId, Duration responseTimeout) {

    /** What the call does; decides its retry rules. */
    public enum Kind {
        SUBMIT, RUN, STATUS, STATUS_STREAM, RESULT, CANCEL
    }

    public static HttpCall submit(URI uri, byte[] body, Map<String, String> headers) {
        return new HttpCall(Kind.SUBMIT, HttpMethod.POST, uri, body, headers, null, null);
    }

    public static HttpCall run(URI uri, byte[] body, Map<String, String> headers, Duration responseTimeout) {
        return new HttpCall(Kind.RUN, HttpMethod.POST, uri, body, headers, null, responseTimeout);
    }

    public static HttpCall status(URI uri, String requestId) {
        return new HttpCall(Kind.STATUS, HttpMethod.GET, uri, null, Map.of(), requestId, null);
    }

    public static HttpCall statusStream(URI uri, String requestId) {
        return new HttpCall(Kind.STATUS_STREAM, HttpMethod.GET, uri, null, Map.of(), requestId, null);
    }

    public static HttpCall result(URI uri, String requestId) {
        return new HttpCall(Kind.RESULT, HttpMethod.GET, uri, null, Map.of(), requestId, null);
    }

    public static HttpCall cancel(URI uri, String requestId) {
        return new HttpCall(Kind.CANCEL, HttpMethod.PUT, uri, null, Map.of(), requestId, null);
    }

    /** A POST that hands fal work to do (and bill): sending it twice may run it twice. */
    public boolean isSubmit() {
        return kind == Kind.SUBMIT || kind == Kind.RUN;
    }

    String describe() {
        return method + " " + uri;
    }
}
