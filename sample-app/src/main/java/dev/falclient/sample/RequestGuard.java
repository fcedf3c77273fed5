package dev.falclient.sample;

import dev.falclient.spring.autoconfigure.FalProperties;
import dev.falclient.spring.autoconfigure.proxy.FalProxyProperties;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Guards the API against other web sites and, when {@code sample.access-token} is set, against anyone without the
 * token.
 *
 * <ul>
 *   <li>Access token: every request but the page itself ({@code /}, its script and style) and
 *       {@code /actuator/health} must carry the token in an {@value #TOKEN_HEADER} header or a
 *       {@value #TOKEN_COOKIE} cookie (the page sets the cookie when the user types the token), else 401.</li>
 *   <li>Cross-site requests: a POST, PUT, PATCH or DELETE must carry {@value #CSRF_HEADER} (a header that another
 *       origin cannot send without a CORS preflight, which this app never allows), and its {@code Origin} and
 *       {@code Sec-Fetch-Site}, when the browser sends them, must say same origin; else 403.</li>
 * </ul>
 * The webhook receiver ({@code fal.webhook.path}) is exempt from both: fal calls it, and it checks fal's signature.
 * The fal proxy ({@code fal.proxy.path}, used by {@code /fal-js.html}) spends the app's key on every method, so the
 * cross-site rule covers its GETs too ({@link SampleProxyPolicy} then checks the same again, and what may be called).
 * So does the realtime page's WebSocket ({@value RealtimeSocketHandler#PATH}), whose handshake is a GET that
 * cannot carry {@value #CSRF_HEADER}: it must carry a same-origin {@code Origin} instead, which browsers send on every
 * WebSocket handshake and scripts of other sites cannot forge (else 403, before the upgrade).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class RequestGuard implements WebFilter {

    /** The header a page's unsafe request must carry (any value; the page sends {@code fal-sample}). */
    public static final String CSRF_HEADER = "X-Requested-With";
    /** The header that may carry the access token. */
    public static final String TOKEN_HEADER = "X-Access-Token";
    /** The cookie that may carry the access token. */
    public static final String TOKEN_COOKIE = "sample_token";

    private static final Set<String> PAGE = Set.of("/", "/index.html", "/app.js", "/app.css", "/favicon.ico",
            "/fal-js.html", "/fal-js.js", "/vendor/fal-client.js", "/realtime.html", "/realtime.js", "/actuator/health");
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    private final byte[] token;
    private final String webhookPath;
    private final String proxyPath;

    public RequestGuard(SampleProperties properties, ObjectProvider<FalProperties> fal,
                        ObjectProvider<FalProxyProperties> proxy) {
        String configured = properties.accessToken();
        this.token = configured == null || configured.isBlank() ? null : configured.getBytes(StandardCharsets.UTF_8);
        FalProperties falProperties = fal.getIfAvailable();
        this.webhookPath = falProperties != null && falProperties.webhook().enabled()
                ? falProperties.webhook().path() : null;
        FalProxyProperties proxyProperties = proxy.getIfAvailable();
        this.proxyPath = proxyProperties != null && proxyProperties.enabled() ? proxyProperties.path() : null;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String path = request.getPath().pathWithinApplication().value();
        if (path.equals(webhookPath)) {
            return chain.filter(exchange);
        }
        if (token != null && !PAGE.contains(path) && !hasToken(request)) {
            return Problems.write(exchange, HttpStatus.UNAUTHORIZED, "Access token required",
                    "This sample is protected: send the access token (sample.access-token) in the " + TOKEN_HEADER
                            + " header or the " + TOKEN_COOKIE + " cookie");
        }
        if ((!SAFE.contains(request.getMethod()) || path.equals(proxyPath)) && !sameOrigin(request)) {
            return Problems.write(exchange, HttpStatus.FORBIDDEN, "Cross-site request refused",
                    "State-changing requests must come from this app's own page (same origin, with the "
                            + CSRF_HEADER + " header)");
        }
        if (path.equals(RealtimeSocketHandler.PATH) && !fromOwnOrigin(request, true)) {
            return Problems.write(exchange, HttpStatus.FORBIDDEN, "Cross-site WebSocket refused",
                    "The realtime socket may be opened only by this app's own page (same Origin)");
        }
        return chain.filter(exchange);
    }

    private boolean hasToken(ServerHttpRequest request) {
        HttpCookie cookie = request.getCookies().getFirst(TOKEN_COOKIE);
        return admits(request.getHeaders().getFirst(TOKEN_HEADER), cookie != null ? cookie.getValue() : null);
    }

    /**
     * Whether a caller presenting this {@value #TOKEN_HEADER} header and {@value #TOKEN_COOKIE} cookie value (either
     * may be {@code null}) passes the access token rule: always when no token is configured.
     */
    boolean admits(@Nullable String header, @Nullable String cookie) {
        if (token == null) {
            return true;
        }
        String presented = header != null ? header
                : cookie != null ? URLDecoder.decode(cookie, StandardCharsets.UTF_8) : null;
        return presented != null && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean sameOrigin(ServerHttpRequest request) {
        return request.getHeaders().getFirst(CSRF_HEADER) != null && fromOwnOrigin(request, false);
    }

    /**
     * Whether {@code Sec-Fetch-Site} and {@code Origin}, when sent, say this app's origin; with {@code originRequired}
     * the {@code Origin} must be there.
     */
    private static boolean fromOwnOrigin(ServerHttpRequest request, boolean originRequired) {
        String site = request.getHeaders().getFirst("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            return false;
        }
        String origin = request.getHeaders().getOrigin();
        if (origin == null) {
            // not a browser's cross-origin request: browsers send Origin on every cross-origin POST
            return !originRequired;
        }
        URI own = request.getURI();
        try {
            URI from = URI.create(origin);
            return own.getHost() != null && own.getHost().equalsIgnoreCase(from.getHost())
                    && port(own) == port(from);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
