package dev.falclient.sample;

import dev.falclient.spring.proxy.FalProxyAccessPolicy;
import dev.falclient.spring.proxy.FalProxyRequest;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * Who may spend the app's fal key through the starter's proxy ({@code fal.proxy.*}, used by {@code /fal-js.html}
 * with fal's JS client): the sample's own page, by the rules of its own API, and only for what that page does.
 *
 * <ul>
 *   <li>the page's {@value RequestGuard#CSRF_HEADER} header (which {@link RequestGuard} also requires, with a same
 *       origin, on every proxy call), a browser session ({@link BrowserSession}'s cookie, set when the page loaded)
 *       and, when {@code sample.access-token} is set, the token ({@link RequestGuard} already answered 401 without
 *       it: this holds where the proxy decides too);</li>
 *   <li>only queue calls (submit, status, result, cancel of the endpoints in {@code fal.proxy.allowed-endpoints})
 *       and GETs of fal's CDN files (the generated images): no direct runs, uploads or tokens.</li>
 * </ul>
 * Runs on the event loop: it only reads headers.
 */
@Component
public class SampleProxyPolicy implements FalProxyAccessPolicy {

    static final String QUEUE_HOST = "queue.fal.run";
    static final String CDN_HOST = "v3.fal.media";

    private final RequestGuard guard;

    public SampleProxyPolicy(RequestGuard guard) {
        this.guard = guard;
    }

    @Override
    public boolean allows(FalProxyRequest request) {
        HttpHeaders headers = request.headers();
        Map<String, String> cookies = cookies(headers.getOrEmpty(HttpHeaders.COOKIE));
        return headers.getFirst(RequestGuard.CSRF_HEADER) != null
                && BrowserSession.valid(cookies.get(BrowserSession.COOKIE))
                && guard.admits(headers.getFirst(RequestGuard.TOKEN_HEADER), cookies.get(RequestGuard.TOKEN_COOKIE))
                && pageCall(request);
    }

    private static boolean pageCall(FalProxyRequest request) {
        String host = request.targetUrl().getHost();
        return QUEUE_HOST.equalsIgnoreCase(host) || (CDN_HOST.equalsIgnoreCase(host) && request.method().equals("GET"));
    }

    private static Map<String, String> cookies(List<String> cookieHeaders) {
        Map<String, String> cookies = new HashMap<>();
        for (String header : cookieHeaders) {
            for (Cookie cookie : ServerCookieDecoder.LAX.decode(header)) {
                cookies.putIfAbsent(cookie.name(), cookie.value());
            }
        }
        return cookies;
    }
}
