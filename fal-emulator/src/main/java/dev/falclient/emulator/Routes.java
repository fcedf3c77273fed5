package dev.falclient.emulator;

import java.util.Arrays;
import java.util.UUID;

/** Classifies a method and path into a {@link Call}, following fal's URL layout below the emulator's prefix. */
final class Routes {

    private static final Call NOT_FOUND = new Call.Unrouted(404, "Not Found");
    private static final Call NOT_ALLOWED = new Call.Unrouted(405, "Method Not Allowed");

    private final String prefix;

    Routes(String pathPrefix) {
        this.prefix = pathPrefix;
    }

    Call classify(String method, String rawPath) {
        String path = rawPath;
        while (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (!path.startsWith(prefix + "/")) {
            return NOT_FOUND;
        }
        String sub = path.substring(prefix.length());
        if (sub.startsWith("/queue/")) {
            return queue(method, sub.substring("/queue/".length()));
        }
        if (sub.startsWith("/run/")) {
            return run(method, sub.substring("/run/".length()));
        }
        if (sub.startsWith("/cdn/files/") && sub.length() > "/cdn/files/".length()) {
            if (!"GET".equals(method) && !"HEAD".equals(method)) {
                return NOT_ALLOWED;
            }
            return new Call.File(sub.substring("/cdn/files/".length()));
        }
        if (sub.startsWith("/rest/") || sub.equals("/rest")) {
            return new Call.Unrouted(404,
                    "Not emulated: the REST API (tokens, storage) is not part of the fal emulator");
        }
        return NOT_FOUND;
    }

    private static Call queue(String method, String rest) {
        String[] segs = rest.split("/");
        int baseLen = EndpointId.isNamespace(segs[0]) ? 3 : 2;
        if (segs.length >= baseLen + 2 && "requests".equals(segs[baseLen])) {
            EndpointId id = EndpointId.parse(String.join("/", Arrays.copyOfRange(segs, 0, baseLen)));
            String requestId = segs[baseLen + 1];
            CallKind kind = switch (String.join("/", Arrays.copyOfRange(segs, baseLen + 2, segs.length))) {
                case "" -> CallKind.RESULT;
                case "status" -> CallKind.STATUS;
                case "status/stream" -> CallKind.STATUS_STREAM;
                case "cancel" -> CallKind.CANCEL;
                default -> null;
            };
            if (kind == null || id == null) {
                return NOT_FOUND;
            }
            String expected = kind == CallKind.CANCEL ? "PUT" : "GET";
            return expected.equals(method) ? new Call.Api(kind, id, requestId) : NOT_ALLOWED;
        }
        EndpointId id = EndpointId.parse(rest);
        if (id == null) {
            return NOT_FOUND;
        }
        if (!"POST".equals(method)) {
            if (Arrays.asList(segs).subList(baseLen, segs.length).contains("requests")) {
                // a request URL rebuilt with the endpoint's sub-path: say so, it is the usual client bug
                return new Call.Unrouted(404, "Request not found (status, result and cancel URLs use only"
                        + " [namespace/]owner/alias, without the endpoint sub-path)");
            }
            return NOT_ALLOWED;
        }
        return new Call.Api(CallKind.SUBMIT, id, newRequestId());
    }

    private static Call run(String method, String rest) {
        EndpointId id = EndpointId.parse(rest);
        if (id == null) {
            return NOT_FOUND;
        }
        if (!"POST".equals(method)) {
            return NOT_ALLOWED;
        }
        if (id.path() != null && (id.path().equals("stream") || id.path().endsWith("/stream"))) {
            EndpointId target = EndpointId.parse(rest.substring(0, rest.length() - "/stream".length()));
            return new Call.Api(CallKind.STREAM, target, newRequestId());
        }
        return new Call.Api(CallKind.RUN, id, newRequestId());
    }

    private static String newRequestId() {
        return UUID.randomUUID().toString();
    }
}
