package dev.falclient;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.time.Instant;
import java.util.List;

/** WireMock stubs of fal's storage: the REST host under {@code /gateway/rest}, the CDN under {@code /cdn}. */
final class StorageStubs {

    static final String REST = "/gateway/rest";
    static final String CDN = "/cdn";
    static final String TOKEN_PATH = REST + "/storage/auth/token";
    static final String TOKEN = "cdn-token-1";

    private StorageStubs() {
    }

    /** A client builder pointing every host at WireMock. */
    static FalClient.Builder storageBuilder(WireMockRuntimeInfo wm) {
        return FalTestSupport.builder(wm).restUrl(wm.getHttpBaseUrl() + REST).cdnUrl(wm.getHttpBaseUrl() + CDN)
                .maxAttempts(3);
    }

    static String tokenReply(String token, Instant expiresAt) {
        return "{\"token\":\"" + token + "\",\"token_type\":\"Bearer\",\"base_url\":\"https://v3.fal.media\","
                + "\"expires_at\":\"" + expiresAt + "\"}";
    }

    /** A token valid for two hours. */
    static void stubToken() {
        stubFor(post(urlPathEqualTo(TOKEN_PATH)).withQueryParam("storage_type", equalTo("fal-cdn-v3"))
                .willReturn(okJson(tokenReply(TOKEN, Instant.now().plusSeconds(7200)))));
    }

    static String cdnUrl(WireMockRuntimeInfo wm, String path) {
        return wm.getHttpBaseUrl() + CDN + path;
    }

    /** Requests to a storage host (the CDN, pre-signed URLs under {@code /signed}) that carried the fal key. */
    static List<String> keysSentToStorageHosts(WireMockRuntimeInfo wm) {
        return wm.getWireMock().find(com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(
                        com.github.tomakehurst.wiremock.client.WireMock.anyUrl())).stream()
                .filter(r -> r.getUrl().startsWith(CDN) || r.getUrl().startsWith("/signed"))
                .map(r -> r.getMethod() + " " + r.getUrl() + " Authorization=" + r.getHeader("Authorization"))
                .filter(line -> line.contains(FalTestSupport.KEY))
                .toList();
    }

    static List<LoggedRequest> tokenRequests(WireMockRuntimeInfo wm) {
        return wm.getWireMock().find(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                urlPathEqualTo(TOKEN_PATH)));
    }
}
