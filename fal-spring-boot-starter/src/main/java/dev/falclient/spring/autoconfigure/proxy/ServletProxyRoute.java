package dev.falclient.spring.autoconfigure.proxy;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.stream.Stream;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import reactor.core.publisher.Flux;

/**
 * The Spring MVC proxy route: checks the target, reads the caller's body up to the limit (413 beyond) on the servlet
 * thread, waits (bounded by the connect and response timeouts) for fal's status and headers, then copies fal's body
 * to the caller buffer by buffer, flushing each (server-sent events pass through as they arrive), with at most a few
 * buffers in flight.
 */
final class ServletProxyRoute {

    private static final int PREFETCH = 4;

    private ServletProxyRoute() {
    }

    static RouterFunction<ServerResponse> route(String path, ProxyTargets targets, ProxyForwarder forwarder,
                                                long maxBodySize) {
        return RouterFunctions.route(RequestPredicates.path(path)
                        .and(RequestPredicates.methods(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT)),
                request -> handle(request, targets, forwarder, maxBodySize));
    }

    private static ServerResponse handle(ServerRequest request, ProxyTargets targets, ProxyForwarder forwarder,
                                         long maxBodySize) throws IOException {
        ProxyDecision decision = targets.check(request.method().name(),
                request.headers().firstHeader(ProxyTargets.TARGET_HEADER), request.headers().asHttpHeaders());
        if (decision instanceof ProxyDecision.Reject reject) {
            return answer(reject);
        }
        ProxyDecision.Forward call = (ProxyDecision.Forward) decision;
        if (request.headers().contentLength().orElse(0) > maxBodySize) {
            return answer(ProxyDecision.Reject.tooLarge(maxBodySize));
        }
        Flux<DataBuffer> body = null;
        if (request.method() != HttpMethod.GET) {
            byte[] bytes;
            try (InputStream in = request.servletRequest().getInputStream()) {
                bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodySize + 1));
            }
            if (bytes.length > maxBodySize) {
                return answer(ProxyDecision.Reject.tooLarge(maxBodySize));
            }
            ProxyDecision.Reject token = call.token() ? targets.checkToken(bytes) : null;
            if (token != null) {
                return answer(token);
            }
            body = Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(bytes));
        }
        ResponseEntity<Flux<DataBuffer>> answer;
        try {
            answer = forwarder.forward(call, body).block(forwarder.headersWait(call));
        } catch (ProxyForwarder.Unavailable e) {
            return answer(e.answer());
        } catch (IllegalStateException e) {
            return answer(new ProxyDecision.Reject(502, "fal_unreachable", "fal did not answer in time"));
        }
        Flux<DataBuffer> content = answer.getBody();
        return ServerResponse.status(answer.getStatusCode())
                .headers(headers -> headers.addAll(answer.getHeaders()))
                .build((servletRequest, servletResponse) -> {
                    copy(content, servletResponse);
                    return null;
                });
    }

    /** Closing the stream cancels fal's answer, e.g. when the caller went away. */
    private static void copy(Flux<DataBuffer> content, HttpServletResponse response) throws IOException {
        OutputStream out = response.getOutputStream();
        try (Stream<DataBuffer> buffers = content.toStream(PREFETCH)) {
            for (DataBuffer buffer : (Iterable<DataBuffer>) buffers::iterator) {
                try {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    out.write(bytes);
                    out.flush();
                } finally {
                    DataBufferUtils.release(buffer);
                }
            }
        }
    }

    private static ServerResponse answer(ProxyDecision.Reject reject) {
        return ServerResponse.status(reject.status()).contentType(MediaType.APPLICATION_JSON).body(reject.json());
    }
}
