package dev.falclient.spring.autoconfigure.proxy;

import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.springframework.core.ResolvableType;
import org.springframework.core.codec.ByteArrayDecoder;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The WebFlux proxy route: checks the target, then streams the caller's body to fal and fal's answer back, buffer
 * by buffer (server-sent events are flushed as they arrive).
 */
final class ReactiveProxyRoute {

    private static final ByteArrayDecoder BYTES = new ByteArrayDecoder();
    private static final ResolvableType BYTE_ARRAY = ResolvableType.forClass(byte[].class);

    private ReactiveProxyRoute() {
    }

    static RouterFunction<ServerResponse> route(String path, ProxyTargets targets, ProxyForwarder forwarder,
                                                long maxBodySize) {
        return RouterFunctions.route(RequestPredicates.path(path)
                        .and(RequestPredicates.methods(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT)),
                request -> handle(request, targets, forwarder, maxBodySize));
    }

    private static Mono<ServerResponse> handle(ServerRequest request, ProxyTargets targets, ProxyForwarder forwarder,
                                               long maxBodySize) {
        ProxyDecision decision = targets.check(request.method().name(),
                request.headers().firstHeader(ProxyTargets.TARGET_HEADER), request.headers().asHttpHeaders());
        if (decision instanceof ProxyDecision.Reject reject) {
            return answer(reject);
        }
        ProxyDecision.Forward call = (ProxyDecision.Forward) decision;
        if (request.headers().contentLength().orElse(0) > maxBodySize) {
            return answer(ProxyDecision.Reject.tooLarge(maxBodySize));
        }
        if (call.token()) {
            return DataBufferUtils.join(request.body(BodyExtractors.toDataBuffers()), ProxyTargets.MAX_TOKEN_BODY)
                    .map(ReactiveProxyRoute::bytes)
                    .defaultIfEmpty(new byte[0])
                    .flatMap(bytes -> {
                        ProxyDecision.Reject rejected = targets.checkToken(bytes);
                        return rejected != null ? answer(rejected) : forward(call,
                                Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(bytes)), forwarder);
                    })
                    .onErrorResume(DataBufferLimitException.class,
                            e -> answer(ProxyDecision.Reject.tooLarge(ProxyTargets.MAX_TOKEN_BODY)));
        }
        Flux<DataBuffer> body = request.method() == HttpMethod.GET ? null
                : limited(request.body(BodyExtractors.toDataBuffers()), maxBodySize);
        return forward(call, body, forwarder);
    }

    private static Mono<ServerResponse> forward(ProxyDecision.Forward call, @Nullable Flux<DataBuffer> body,
                                                ProxyForwarder forwarder) {
        return forwarder.forward(call, body)
                .flatMap(answer -> ServerResponse.status(answer.getStatusCode())
                        .headers(headers -> headers.addAll(answer.getHeaders()))
                        .body(answer.getBody(), DataBuffer.class))
                .onErrorResume(ProxyForwarder.Unavailable.class, e -> answer(e.answer()));
    }

    /** The buffer's bytes; Spring's decoder releases the buffer. */
    private static byte[] bytes(DataBuffer buffer) {
        return BYTES.decode(buffer, BYTE_ARRAY, null, null);
    }

    /** A body sent without a length (chunked) is cut off, and the call answered 413, once it passes the limit. */
    private static Flux<DataBuffer> limited(Flux<DataBuffer> body, long maxBodySize) {
        AtomicLong seen = new AtomicLong();
        return body.handle((buffer, sink) -> {
            if (seen.addAndGet(buffer.readableByteCount()) > maxBodySize) {
                DataBufferUtils.release(buffer);
                ProxyDecision.Reject tooLarge = ProxyDecision.Reject.tooLarge(maxBodySize);
                sink.error(new ProxyForwarder.Unavailable(tooLarge.status(), tooLarge.error(), tooLarge.detail()));
            } else {
                sink.next(buffer);
            }
        });
    }

    private static Mono<ServerResponse> answer(ProxyDecision.Reject reject) {
        return ServerResponse.status(reject.status()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(reject.json());
    }
}
