package dev.falclient.spring.autoconfigure.proxy;

import java.util.List;
import java.util.Set;
import org.springframework.util.AntPathMatcher;

/**
 * {@code fal.proxy.allowed-endpoints}: endpoint id patterns in Ant style ({@code *} one path segment, {@code **} any
 * number), e.g. {@code fal-ai/flux/*}. Calls on a submitted request ({@code owner/alias/requests/{id}/...}) carry only
 * the app id, so they are allowed when the app part of a pattern (its first two segments, three with a
 * {@code workflows} or {@code comfy} namespace) matches it.
 */
final class EndpointAllowList {

    private static final Set<String> NAMESPACES = Set.of("workflows", "comfy");

    private final List<String> patterns;
    private final AntPathMatcher matcher = new AntPathMatcher("/");

    EndpointAllowList(List<String> patterns) {
        for (String pattern : patterns) {
            if (pattern == null || pattern.isBlank() || pattern.startsWith("/") || pattern.contains(":")
                    || pattern.contains("?") || pattern.contains("..")) {
                throw new IllegalArgumentException(FalProxyProperties.PREFIX + ".allowed-endpoints: '" + pattern
                        + "' is not an endpoint id pattern; write ids like fal-ai/flux/dev or fal-ai/flux/*");
            }
        }
        this.patterns = List.copyOf(patterns);
    }

    boolean isEmpty() {
        return patterns.isEmpty();
    }

    /** Whether the endpoint id matches a pattern. */
    boolean allowsEndpoint(String endpointId) {
        return patterns.stream().anyMatch(pattern -> matcher.match(pattern, endpointId));
    }

    /** Whether the app id ({@code owner/alias}, namespaced or not) is the app of an allowed endpoint. */
    boolean allowsApp(String appId) {
        return patterns.stream().anyMatch(pattern -> matcher.match(appPart(pattern), appId)
                || matcher.match(pattern, appId));
    }

    /**
     * Whether a token scoped to this app alias (fal's tokens name the alias only, e.g. {@code flux}) is for an allowed
     * app: the alias segment of a pattern matches it.
     */
    boolean allowsAlias(String alias) {
        return patterns.stream().anyMatch(pattern -> {
            String[] segments = appPart(pattern).split("/");
            String aliasPattern = segments.length == 0 ? "" : segments[segments.length - 1];
            return pattern.startsWith("**") || matcher.match(aliasPattern.equals("**") ? "*" : aliasPattern, alias);
        });
    }

    private static String appPart(String pattern) {
        String[] segments = pattern.split("/");
        int length = segments.length > 0 && NAMESPACES.contains(segments[0]) ? 3 : 2;
        if (segments.length <= length) {
            return pattern;
        }
        return String.join("/", List.of(segments).subList(0, length));
    }
}
