package dev.falclient.spring.autoconfigure.proxy;

import dev.falclient.settings.UrlSettings;
import dev.falclient.spring.proxy.FalProxyAccessPolicy;
import dev.falclient.spring.proxy.FalProxyRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The proxy's gate: a target must be an https URL on exactly one of fal's hosts (no other port, no user info, no
 * dot segments), its endpoint must be in {@code fal.proxy.allowed-endpoints}, and every {@link FalProxyAccessPolicy}
 * must allow the call. An allowed target is mapped onto the configured base URL of its host (so the same browser
 * code works against the emulator); nothing else is ever called, which rules out an open relay and requests to
 * internal addresses.
 */
final class ProxyTargets {

    /** The proxy protocol's header naming the fal URL a call is meant for. */
    static final String TARGET_HEADER = "X-Fal-Target-Url";

    static final String QUEUE_HOST = "queue.fal.run";
    static final String RUN_HOST = "fal.run";
    static final String REST_HOST = "rest.fal.ai";
    static final String CDN_HOST = "v3.fal.media";

    private static final int MAX_TARGET_LENGTH = 8192;
    /** Largest token request body read (it names a few apps). */
    static final int MAX_TOKEN_BODY = 64 * 1024;
    /** The REST calls fal's JS client makes through a proxy: upload initiation to fal's CDN (tokens aside). */
    private static final Set<String> REST_PATHS = Set.of("/storage/upload/initiate",
            "/storage/upload/initiate-multipart", "/storage/upload/complete-multipart");

    private final Map<String, String> bases;
    private final EndpointAllowList allowList;
    private final List<FalProxyAccessPolicy> policies;

    ProxyTargets(UrlSettings urls, EndpointAllowList allowList, List<FalProxyAccessPolicy> policies) {
        this.bases = Map.of(QUEUE_HOST, urls.queueUrl(), RUN_HOST, urls.runUrl(), REST_HOST, urls.restUrl(),
                CDN_HOST, urls.cdnUrl());
        this.allowList = allowList;
        this.policies = List.copyOf(policies);
    }

    ProxyDecision check(String method, @Nullable String target, HttpHeaders headers) {
        if (target == null || target.isBlank()) {
            return bad("missing_target", "The " + TARGET_HEADER + " header is missing: send calls through fal's "
                    + "client configured with proxyUrl, which names the fal URL in that header");
        }
        if (target.length() > MAX_TARGET_LENGTH) {
            return bad("invalid_target", TARGET_HEADER + " is longer than " + MAX_TARGET_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(target.trim());
        } catch (URISyntaxException e) {
            return bad("invalid_target", TARGET_HEADER + " is not a valid URL");
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        String base = bases.get(host);
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getRawUserInfo() != null
                || (uri.getPort() != -1 && uri.getPort() != 443) || base == null
                || !authorityIsHost(uri.getRawAuthority(), host)) {
            return bad("target_not_allowed", TARGET_HEADER + " must be an https URL on one of fal's hosts ("
                    + String.join(", ", List.of(QUEUE_HOST, RUN_HOST, REST_HOST, CDN_HOST))
                    + ") without user info or another port");
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (!safePath(path)) {
            return bad("invalid_target", TARGET_HEADER + " has a path with empty, '.', '..' or encoded separator "
                    + "segments");
        }
        if (allowList.isEmpty()) {
            return forbidden("endpoint_not_allowed", "The proxy lets no endpoint through: list the endpoints the "
                    + "browser may call in fal.proxy.allowed-endpoints (e.g. fal-ai/flux/*)");
        }
        String endpointId = switch (host) {
            case QUEUE_HOST, RUN_HOST -> endpointId(host, path);
            case REST_HOST -> REST_PATHS.contains(path) || (tokenPath(path) && method.equals("POST")) ? "" : null;
            default -> path.startsWith("/files/") ? "" : null;
        };
        if (endpointId == null) {
            return forbidden("target_not_allowed", "The proxy does not pass calls to " + host + path);
        }
        if (!endpointId.isEmpty() && !allowed(host, path, endpointId)) {
            return forbidden("endpoint_not_allowed", "Endpoint " + endpointId + " is not in "
                    + "fal.proxy.allowed-endpoints");
        }
        FalProxyRequest request = new FalProxyRequest(method, uri, endpointId, headers);
        if (!policies.stream().allMatch(policy -> policy.allows(request))) {
            return forbidden("forbidden", "The application's FalProxyAccessPolicy denied this call");
        }
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return new ProxyDecision.Forward(URI.create(base + path + query), request, host.equals(RUN_HOST),
                host.equals(REST_HOST) && tokenPath(path));
    }

    /**
     * Checks the body of a token request ({@code {"allowed_apps": ["<alias>"], "token_expiration": 120}}): every app
     * must be the alias of an allowed endpoint. {@code null} when the request may be sent.
     */
    ProxyDecision.@Nullable Reject checkToken(byte[] body) {
        JsonNode apps;
        try {
            apps = JsonMapper.shared().readTree(body).path("allowed_apps");
        } catch (JacksonException e) {
            apps = null;
        }
        if (apps == null || !apps.isArray() || apps.isEmpty()) {
            return bad("invalid_token_request", "A token request must name its apps in allowed_apps");
        }
        for (JsonNode app : apps) {
            if (!app.isString() || !allowList.allowsAlias(app.asString())) {
                return forbidden("endpoint_not_allowed", "Token for app " + app + " is not allowed: its endpoints "
                        + "are not in fal.proxy.allowed-endpoints");
            }
        }
        return null;
    }

    private static boolean tokenPath(String path) {
        return path.equals("/tokens/") || path.equals("/tokens");
    }

    private static boolean authorityIsHost(@Nullable String authority, String host) {
        String lower = authority == null ? "" : authority.toLowerCase(Locale.ROOT);
        return lower.equals(host) || lower.equals(host + ":443");
    }

    private static boolean safePath(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        if (!path.startsWith("/") || lower.contains("%2e") || lower.contains("%2f") || lower.contains("%5c")
                || path.contains("\\")) {
            return false;
        }
        String[] segments = path.substring(1).split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            boolean last = i == segments.length - 1;
            if ((segments[i].isEmpty() && !last) || segments[i].equals(".") || segments[i].equals("..")) {
                return false;
            }
        }
        return true;
    }

    /** {@code owner/alias/requests/...} on the queue names the app; anything else names the endpoint. */
    private static String endpointId(String host, String path) {
        String id = path.substring(1);
        while (id.endsWith("/")) {
            id = id.substring(0, id.length() - 1);
        }
        int requests = host.equals(QUEUE_HOST) ? id.indexOf("/requests/") : -1;
        if (requests < 0 && host.equals(QUEUE_HOST) && id.endsWith("/requests")) {
            requests = id.length() - "/requests".length();
        }
        return requests > 0 ? id.substring(0, requests) : id;
    }

    private boolean allowed(String host, String path, String endpointId) {
        if (host.equals(QUEUE_HOST) && path.startsWith("/" + endpointId + "/requests")) {
            return allowList.allowsApp(endpointId);
        }
        // a streaming run posts to {endpoint}/stream
        return allowList.allowsEndpoint(endpointId) || (host.equals(RUN_HOST) && endpointId.endsWith("/stream")
                && allowList.allowsEndpoint(endpointId.substring(0, endpointId.length() - "/stream".length())));
    }

    private static ProxyDecision.Reject bad(String error, String detail) {
        return new ProxyDecision.Reject(400, error, detail);
    }

    private static ProxyDecision.Reject forbidden(String error, String detail) {
        return new ProxyDecision.Reject(403, error, detail);
    }
}
