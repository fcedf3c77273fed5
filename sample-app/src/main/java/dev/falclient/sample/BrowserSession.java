package dev.falclient.sample;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpCookie;
import org.springframework.http.ResponseCookie;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * A per-browser id in an {@code HttpOnly}, {@code SameSite=Strict} cookie ({@value #COOKIE}): the generations a
 * browser submits belong to it, and only it can see their status, events and result, or cancel them. The id is
 * 256 random bits, so another caller can neither guess it nor, with {@code SameSite=Strict}, make a browser send it
 * from another site.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
public class BrowserSession implements WebFilter {

    /** The cookie's name. */
    public static final String COOKIE = "sample_session";
    /** Owner of the generations the app submits itself (the startup demo): no cookie can equal it. */
    static final String APP = "app";

    private static final String ATTRIBUTE = BrowserSession.class.getName();
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        HttpCookie cookie = exchange.getRequest().getCookies().getFirst(COOKIE);
        String id = cookie != null && valid(cookie.getValue()) ? cookie.getValue() : null;
        if (id == null) {
            id = newId();
            exchange.getResponse().addCookie(ResponseCookie.from(COOKIE, id).httpOnly(true).sameSite("Strict")
                    .path("/").secure("https".equals(exchange.getRequest().getURI().getScheme()))
                    .maxAge(Duration.ofDays(1)).build());
        }
        exchange.getAttributes().put(ATTRIBUTE, id);
        return chain.filter(exchange);
    }

    /** The caller's session id (set by this filter on every request). */
    static String of(ServerWebExchange exchange) {
        String id = exchange.getAttribute(ATTRIBUTE);
        if (id == null) {
            throw new IllegalStateException("BrowserSession filter did not run");
        }
        return id;
    }

    static String newId() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static boolean valid(@Nullable String value) {
        return value != null && value.matches("[A-Za-z0-9_-]{43}");
    }
}
