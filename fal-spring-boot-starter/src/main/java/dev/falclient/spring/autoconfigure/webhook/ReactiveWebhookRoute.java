package dev.falclient.spring.autoconfigure.webhook;

import dev.falclient.spring.webhook.FalWebhookReceiver;
import org.springframework.core.ResolvableType;
import org.springframework.core.codec.ByteArrayDecoder;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/** The WebFlux webhook endpoint: reads the raw body up to the limit (413 beyond), then hands it to the receiver. */
final class ReactiveWebhookRoute {

    private static final ByteArrayDecoder BYTES = new ByteArrayDecoder();
    private static final ResolvableType BYTE_ARRAY = ResolvableType.forClass(byte[].class);

    private ReactiveWebhookRoute() {
    }

    static RouterFunction<ServerResponse> route(String path, FalWebhookReceiver receiver) {
        return RouterFunctions.route(RequestPredicates.POST(path), request -> handle(request, receiver));
    }

    private static Mono<ServerResponse> handle(ServerRequest request, FalWebhookReceiver receiver) {
        int max = receiver.maxBodySize();
        if (request.headers().contentLength().orElse(0) > max) {
            return answer(receiver.tooLarge());
        }
        return DataBufferUtils.join(request.body(BodyExtractors.toDataBuffers()), max)
                .map(ReactiveWebhookRoute::bytes)
                .defaultIfEmpty(new byte[0])
                .flatMap(body -> receiver.receive(request.headers().asHttpHeaders().toSingleValueMap(), body))
                .onErrorResume(DataBufferLimitException.class, e -> Mono.just(receiver.tooLarge()))
                .flatMap(ReactiveWebhookRoute::answer);
    }

    /** The buffer's bytes; Spring's decoder releases the buffer. */
    private static byte[] bytes(DataBuffer buffer) {
        return BYTES.decode(buffer, BYTE_ARRAY, null, null);
    }

    private static Mono<ServerResponse> answer(FalWebhookReceiver.Answer answer) {
        return ServerResponse.status(answer.status()).contentType(MediaType.TEXT_PLAIN).bodyValue(answer.detail());
    }
}
