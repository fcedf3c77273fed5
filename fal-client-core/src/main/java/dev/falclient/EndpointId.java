package dev.falclient;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A parsed fal endpoint id. Submit and run use the full id including any sub-path ({@code fal-ai/flux/dev});
 * status, result and cancel use only {@code [namespace/]owner/alias} ({@code fal-ai/flux}).
 * Namespaces {@code workflows} and {@code comfy} take three segments; a legacy {@code 1234-app} id means
 * {@code 1234/app}.
 *
 * <pre>{@code
 * EndpointId id = EndpointId.parse("fal-ai/flux/dev"); // owner fal-ai, alias flux, path dev
 * }</pre>
 *
 * @param namespace {@code workflows}, {@code comfy}, or empty
 * @param owner     the app owner, e.g. {@code fal-ai}
 * @param alias     the app alias, e.g. {@code flux}
 * @param path      the sub-path after the alias, e.g. {@code dev}, or empty
 */
public record EndpointId(String namespace, String owner, String alias, String path) {

    private static final List<String> NAMESPACES = List.of("workflows", "comfy");
    private static final Pattern LEGACY = Pattern.compile("^([0-9]+)-([a-zA-Z0-9-]+)$");
    private static final Pattern SEGMENT = Pattern.compile("^[A-Za-z0-9._~-]+$");
    private static final String DOT_SEGMENT = "'.' and '..' segments are not allowed, a server would resolve them "
            + "to another path";
    private static final String FORMAT = "expected 'owner/alias[/path]' (e.g. 'fal-ai/flux/dev'), "
            + "'workflows/owner/alias' or 'comfy/owner/alias', or a legacy '1234-alias' id";

    public EndpointId {
        namespace = namespace == null ? "" : namespace;
        path = path == null ? "" : path;
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(alias, "alias");
        rejectDotSegments(String.join("/", namespace, owner, alias, path), "endpoint id");
    }

    /**
     * Parses an endpoint id.
     *
     * @throws IllegalArgumentException if the id is blank or malformed (a {@code .} or {@code ..} segment
     *                                  included); the message names the expected format
     */
    public static EndpointId parse(String endpointId) {
        if (endpointId == null || endpointId.isBlank()) {
            throw new IllegalArgumentException("Endpoint id must not be blank: " + FORMAT);
        }
        String id = endpointId.trim();
        if (!id.contains("/")) {
            var legacy = LEGACY.matcher(id);
            if (!legacy.matches()) {
                throw new IllegalArgumentException("Invalid endpoint id '" + id + "': " + FORMAT);
            }
            return new EndpointId("", legacy.group(1), legacy.group(2), "");
        }
        List<String> segments = Arrays.asList(id.split("/", -1));
        for (String segment : segments) {
            if (isDotSegment(segment)) {
                throw new IllegalArgumentException("Invalid endpoint id '" + id + "' ('" + segment + "' segment: "
                        + DOT_SEGMENT + "): " + FORMAT);
            }
            if (!SEGMENT.matcher(segment).matches()) {
                throw new IllegalArgumentException("Invalid endpoint id '" + id + "' (empty or illegal segment '"
                        + segment + "'): " + FORMAT);
            }
        }
        int start = NAMESPACES.contains(segments.get(0)) ? 1 : 0;
        if (segments.size() < start + 2) {
            throw new IllegalArgumentException("Invalid endpoint id '" + id + "': " + FORMAT);
        }
        String namespace = start == 1 ? segments.get(0) : "";
        String path = String.join("/", segments.subList(start + 2, segments.size()));
        return new EndpointId(namespace, segments.get(start), segments.get(start + 1), path);
    }

    /**
     * Refuses {@code .} and {@code ..} segments (also between backslashes, which some servers read as slashes). A
     * proxy or server resolves them, so an id or sub-path taken from user input could reach another endpoint, or
     * step outside a gateway's path prefix, with the client's key.
     */
    static void rejectDotSegments(@Nullable String value, String what) {
        if (value == null) {
            return;
        }
        for (String segment : value.split("[/\\\\]", -1)) {
            if (isDotSegment(segment)) {
                throw new IllegalArgumentException("Invalid " + what + " '" + value + "' ('" + segment + "' segment: "
                        + DOT_SEGMENT + ")");
            }
        }
    }

    private static boolean isDotSegment(String segment) {
        return segment.equals(".") || segment.equals("..");
    }

    /** The segments used by submit and run: everything, sub-path included. */
    public List<String> fullSegments() {
        List<String> all = new ArrayList<>(appSegments());
        if (!path.isEmpty()) {
            all.addAll(Arrays.asList(path.split("/")));
        }
        return all;
    }

    /** The segments used by status, result and cancel: {@code [namespace,] owner, alias}. */
    public List<String> appSegments() {
        return namespace.isEmpty() ? List.of(owner, alias) : List.of(namespace, owner, alias);
    }

    /** {@code [namespace/]owner/alias}. */
    public String appId() {
        return String.join("/", appSegments());
    }

    @Override
    public String toString() {
        return String.join("/", fullSegments());
    }
}
