package dev.falclient.internal.http;

import io.netty.handler.timeout.ReadTimeoutException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.ClientResponse;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClientRequest;

/** The stateless pieces of every call: the User-Agent and headers, Netty's response timeout, bodies, deadlines. */
final class HttpParts {

    static final String USER_AGENT = "fal-client-java/" + version();
    private static final byte[] EMPTY = new byte[0];

    private HttpParts() {
    }

    static void headers(HttpHeaders h, HttpCall call, String key, MediaType accept) {
        h.set(HttpHeaders.USER_AGENT, USER_AGENT);
        h.setAccept(List.of(accept));
        call.headers().forEach(h::set);
        h.set(HttpHeaders.AUTHORIZATION, "Key " + key);
    }

    static void responseTimeout(Object nativeRequest, @Nullable Duration timeout) {
        if (timeout != null && nativeRequest instanceof HttpClientRequest request) {
            request.responseTimeout(timeout);
        }
    }

    static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    static Mono<byte[]> body(ClientResponse response) {
        return response.bodyToMono(byte[].class).defaultIfEmpty(EMPTY);
    }

    /**
     * Runs and uploads give Netty their deadline as the response timeout too (the client's default would cut a long
     * run short): whichever of the two fires first, the caller sees the same deadline error.
     */
    static boolean passedDeadline(Throwable e, HttpCall call) {
        if (e instanceof TimeoutException) {
            return true;
        }
        if (call.kind() != HttpCall.Kind.RUN && call.kind() != HttpCall.Kind.UPLOAD) {
            return false;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ReadTimeoutException) {
                return true;
            }
        }
        return false;
    }

    static String version() {
        Properties p = new Properties();
        try (InputStream in = FalTransport.class.getResourceAsStream("/dev/falclient/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException ignored) {
            // the version only decorates the User-Agent
        }
        return p.getProperty("version", "dev");
    }
}
