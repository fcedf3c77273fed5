package dev.falclient.spring.autoconfigure.webhook;

import dev.falclient.spring.webhook.FalWebhookReceiver;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The Spring MVC webhook endpoint: reads the raw body up to the limit (413 beyond) on the servlet thread, then
 * waits for the receiver, bounded: verification fetches fal's keys at most twice, each bounded by the HTTP
 * timeouts.
 */
final class ServletWebhookRoute {

    private static final Duration MAX_WAIT = Duration.ofMinutes(10);

    private ServletWebhookRoute() {
    }

    static RouterFunction<ServerResponse> route(String path, FalWebhookReceiver receiver) {
        return RouterFunctions.route(RequestPredicates.POST(path), request -> handle(request, receiver));
    }

    private static ServerResponse handle(ServerRequest request, FalWebhookReceiver receiver) throws IOException {
        int max = receiver.maxBodySize();
        if (request.headers().contentLength().orElse(0) > max) {
            return answer(receiver.tooLarge());
        }
        byte[] body;
        try (InputStream in = request.servletRequest().getInputStream()) {
            body = in.readNBytes(max + 1);
        }
        if (body.length > max) {
            return answer(receiver.tooLarge());
        }
        FalWebhookReceiver.Answer answer = receiver.receive(request.headers().asHttpHeaders().toSingleValueMap(), body)
                .block(MAX_WAIT);
        return answer(answer);
    }

    private static ServerResponse answer(FalWebhookReceiver.Answer answer) {
        return ServerResponse.status(answer.status()).contentType(MediaType.TEXT_PLAIN).body(answer.detail());
    }
}
