package dev.falclient.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.falclient.spring.autoconfigure.FalProperties;
import dev.falclient.spring.autoconfigure.proxy.FalProxyProperties;
import dev.falclient.spring.proxy.FalProxyRequest;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.http.HttpHeaders;

/** {@link SampleProxyPolicy}: the page's header, a browser session and the access token; queue and CDN reads only. */
class SampleProxyPolicyTests {

    private static final String SESSION = BrowserSession.newId();
    private static final URI SUBMIT = URI.create("https://queue.fal.run/fal-ai/fast-sdxl");

    private final SampleProxyPolicy open = policy(Map.of());
    private final SampleProxyPolicy guarded = policy(Map.of("sample.access-token", "s3cret token"));

    @Test
    void needsThePagesHeaderAndABrowserSession() {
        assertThat(open.allows(request("POST", SUBMIT, page("sample_session=" + SESSION)))).isTrue();
        assertThat(open.allows(request("POST", SUBMIT, cookie("sample_session=" + SESSION)))).isFalse();
        assertThat(open.allows(request("POST", SUBMIT, page("other=1")))).isFalse();
        assertThat(open.allows(request("POST", SUBMIT, page("sample_session=not-a-session-id")))).isFalse();
    }

    @Test
    void needsTheAccessTokenWhenOneIsSet() {
        String session = "sample_session=" + SESSION;
        assertThat(guarded.allows(request("POST", SUBMIT, page(session)))).isFalse();
        assertThat(guarded.allows(request("POST", SUBMIT, page(session + "; sample_token=wrong")))).isFalse();
        // the page stores the token URI-encoded in its cookie, as RequestGuard reads it
        assertThat(guarded.allows(request("POST", SUBMIT, page(session + "; sample_token=s3cret%20token"))))
                .isTrue();
        HttpHeaders header = page(session);
        header.set(RequestGuard.TOKEN_HEADER, "s3cret token");
        assertThat(guarded.allows(request("POST", SUBMIT, header))).isTrue();
    }

    @Test
    void passesOnlyQueueCallsAndReadsOfFalsCdn() {
        HttpHeaders headers = page("sample_session=" + SESSION);
        assertThat(open.allows(request("GET", URI.create(SUBMIT + "/requests/r1/status/stream"), headers)))
                .isTrue();
        assertThat(open.allows(request("PUT", URI.create(SUBMIT + "/requests/r1/cancel"), headers))).isTrue();
        assertThat(open.allows(request("GET", URI.create("https://v3.fal.media/files/r1.png"), headers))).isTrue();
        assertThat(open.allows(request("POST", URI.create("https://v3.fal.media/files/upload"), headers))).isFalse();
        assertThat(open.allows(request("POST", URI.create("https://fal.run/fal-ai/fast-sdxl"), headers))).isFalse();
        assertThat(open.allows(request("POST", URI.create("https://rest.fal.ai/tokens/"), headers))).isFalse();
    }

    private static SampleProxyPolicy policy(Map<String, String> properties) {
        SampleProperties sample = new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("sample", SampleProperties.class);
        StaticListableBeanFactory none = new StaticListableBeanFactory();
        return new SampleProxyPolicy(new RequestGuard(sample, none.getBeanProvider(FalProperties.class),
                none.getBeanProvider(FalProxyProperties.class)));
    }

    private static FalProxyRequest request(String method, URI target, HttpHeaders headers) {
        String endpointId = target.getHost().equals("queue.fal.run") ? "fal-ai/fast-sdxl" : "";
        return new FalProxyRequest(method, target, endpointId, headers);
    }

    private static HttpHeaders page(String cookies) {
        HttpHeaders headers = cookie(cookies);
        headers.set(RequestGuard.CSRF_HEADER, "fal-sample");
        return headers;
    }

    private static HttpHeaders cookie(String cookies) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.COOKIE, cookies);
        return headers;
    }
}
