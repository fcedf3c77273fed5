package dev.falclient.sample;

import java.time.Duration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * HTTP clients for the tests that talk to the sample on its port with a new connection for every exchange.
 *
 * <p>Reactor Netty's server (1.3.6, managed by Spring Boot 4.0.7) can stop reading a keep-alive connection when a
 * request arrives before the previous request's operations have terminated and the buffered request is answered at
 * once (reactor-netty issue 4361; the log shows "Buffering keep-alive request, previous ops not yet terminated", then
 * "Draining next pipelined HTTP request" and nothing more). The next request on that connection is never answered, and
 * the test waits for its timeout. A loaded machine makes it likely; fresh connections avoid it.
 */
final class OneConnectionPerExchange {

    /** A loaded CI machine can be slower than WebTestClient's default 5 s per exchange. */
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);

    private OneConnectionPerExchange() {
    }

    static ReactorClientHttpConnector connector() {
        return new ReactorClientHttpConnector(HttpClient.create(ConnectionProvider.newConnection()));
    }

    /**
     * A client that acts as the sample's own page in one browser: a session cookie of its own, and the header the
     * page sends on every call (which {@link RequestGuard} requires on state-changing ones).
     */
    static WebTestClient webTestClient(int port) {
        return webTestClient(port, BrowserSession.newId());
    }

    /** {@link #webTestClient(int)} with the given session id. */
    static WebTestClient webTestClient(int port, String session) {
        return WebTestClient.bindToServer(connector()).baseUrl("http://127.0.0.1:" + port)
                .defaultHeader(RequestGuard.CSRF_HEADER, "fal-sample")
                .defaultCookie(BrowserSession.COOKIE, session)
                .responseTimeout(RESPONSE_TIMEOUT).build();
    }

    /** A client with no session cookie and no page header: another web site's request, or a bare script. */
    static WebTestClient bare(int port) {
        return WebTestClient.bindToServer(connector()).baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(RESPONSE_TIMEOUT).build();
    }
}
