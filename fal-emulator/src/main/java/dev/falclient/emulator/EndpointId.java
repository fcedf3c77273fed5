package dev.falclient.emulator;

import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * A parsed fal endpoint id (fal-protocol.md section 3): {@code [namespace/]owner/alias[/path]}.
 * The namespaces {@code workflows} and {@code comfy} take three segments. Legacy {@code 1234-app} becomes
 * {@code 1234/app}.
 */
record EndpointId(String namespace, String owner, String alias, String path) {

    private static final Pattern LEGACY = Pattern.compile("^([0-9]+)-([a-zA-Z0-9-]+)$");

    static boolean isNamespace(String segment) {
        return "workflows".equals(segment) || "comfy".equals(segment);
    }

    /** Parses an id (no leading slash); returns {@code null} when it is not a valid id. */
    static EndpointId parse(String id) {
        if (id == null || id.isEmpty()) {
            return null;
        }
        if (!id.contains("/")) {
            var m = LEGACY.matcher(id);
            if (!m.matches()) {
                return null;
            }
            return new EndpointId(null, m.group(1), m.group(2), null);
        }
        String[] segs = id.split("/");
        if (Arrays.stream(segs).anyMatch(String::isEmpty)) {
            return null;
        }
        int ns = isNamespace(segs[0]) ? 1 : 0;
        if (segs.length < 2 + ns) {
            return null;
        }
        String path = segs.length > 2 + ns ? String.join("/", Arrays.copyOfRange(segs, 2 + ns, segs.length)) : null;
        return new EndpointId(ns == 1 ? segs[0] : null, segs[ns], segs[ns + 1], path);
    }

    /** {@code {ns/}owner/alias}: the part used by status/result/cancel URLs and the queue key. */
    String base() {
        return (namespace == null ? "" : namespace + "/") + owner + "/" + alias;
    }

    /** The full id including the sub-path. */
    String full() {
        return path == null ? base() : base() + "/" + path;
    }
}
