package dev.falclient.emulator;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Classifies a method and path into a {@link Call}, following fal's URL layout below the emulator's prefix. Also maps
 * the target of a proxied call (fal-protocol.md section 11) onto that layout.
 */
final class Routes {

    /** The header of the proxy protocol: the fal URL a call sent to a proxy is meant for. */
    static final String TARGET_URL = "x-fal-target-url";
    /** The queue host: the request URLs in the answers to proxied calls name it, as fal's own answers do. */
    static final String FAL_QUEUE_URL = "https://queue.fal.run";
    /** Where the proxy stands (any path works; this one answers a call without a target with fal's 400). */
    static final String PROXY_PATH = "/proxy";
    /** Where pre-signed upload URLs point (a storage host of its own at fal). */
    static final String SIGNED_PATH = "/signed-uploads";

    /** Where fal publishes its webhook keys, below {@code rest.fal.ai} (also served below the prefix itself). */
    static final String JWKS_PATH = "/.well-known/jwks.json";

    private static final Call NOT_FOUND = new Call.Unrouted(404, "Not Found");
    private static final Call NOT_ALLOWED = new Call.Unrouted(405, "Method Not Allowed");
    private static final Call NO_TARGET = new Call.Unrouted(400,
            "Invalid request: a call to the proxy needs the x-fal-target-url header");
    private static final Call BAD_TARGET = new Call.Unrouted(400, "Invalid request: x-fal-target-url must be a URL"
            + " on https://queue.fal.run, https://fal.run or https://rest.fal.ai");
    /** The fal hosts a proxied call may target, and where each is mounted below the prefix. */
    private static final Map<String, String> MOUNTS = Map.of(
            "queue.fal.run", "/queue",
            "fal.run", "/run",
            "rest.fal.ai", "/rest");

    /**
     * A call received by the proxy: the URI (path and query) it would have had if sent to the emulator directly, or
     * {@code null} with the {@code rejected} answer when the target is not a fal URL.
     */
    record Proxied(String uri, Call rejected) {
    }

    private final String prefix;

    Routes(String pathPrefix) {
        this.prefix = pathPrefix;
    }

    /**
     * Maps an {@code x-fal-target-url} value onto the emulator: {@code https://queue.fal.run/X?q} becomes
     * {@code [prefix]/queue/X?q}, {@code https://fal.run/X} becomes {@code [prefix]/run/X}, and
     * {@code https://rest.fal.ai/X} becomes {@code [prefix]/rest/X}. Any other host, another port than the scheme's
     * default, user info or a relative URL is refused, as fal's proxy refuses targets outside its allow-list.
     */
    Proxied proxied(String targetUrl) {
        URI target;
        try {
            target = new URI(targetUrl.trim());
        } catch (URISyntaxException e) {
            return new Proxied(null, BAD_TARGET);
        }
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        String mount = target.getHost() == null ? null : MOUNTS.get(target.getHost().toLowerCase(Locale.ROOT));
        int defaultPort = scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : 0;
        if (mount == null || defaultPort == 0 || (target.getPort() != -1 && target.getPort() != defaultPort)
                || target.getRawUserInfo() != null) {
            return new Proxied(null, BAD_TARGET);
        }
        String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
        String query = target.getRawQuery() == null ? "" : "?" + target.getRawQuery();
        return new Proxied(prefix + mount + path + query, null);
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
        if (sub.equals("/cdn/files/upload") || sub.equals("/cdn/files/upload/multipart")) {
            return "POST".equals(method) ? new Call.Storage(sub.endsWith("multipart") ? CallKind.MULTIPART_START
                    : CallKind.UPLOAD, null, null, null) : NOT_ALLOWED;
        }
        if (sub.startsWith("/cdn/files/") && sub.contains("/multipart/")) {
            return multipart(method, sub.substring("/cdn/files/".length()));
        }
        if (sub.startsWith("/cdn/files/") && sub.length() > "/cdn/files/".length()) {
            if (!"GET".equals(method) && !"HEAD".equals(method)) {
                return NOT_ALLOWED;
            }
            return new Call.File(sub.substring("/cdn/files/".length()));
        }
        if (sub.equals(JWKS_PATH) || sub.equals("/rest" + JWKS_PATH)) {
            return "GET".equals(method) ? new Call.Jwks() : NOT_ALLOWED;
        }
        if (sub.startsWith(SIGNED_PATH + "/")) {
            return "PUT".equals(method) ? new Call.Storage(CallKind.SIGNED_UPLOAD,
                    sub.substring(SIGNED_PATH.length() + 1), null, null) : NOT_ALLOWED;
        }
        if (sub.equals("/rest/storage/auth/token") || sub.equals("/rest/storage/upload/initiate")) {
            return "POST".equals(method) ? new Call.Storage(sub.endsWith("token") ? CallKind.STORAGE_TOKEN
                    : CallKind.UPLOAD_INITIATE, null, null, null) : NOT_ALLOWED;
        }
        if (sub.equals("/rest/tokens")) {
            return "POST".equals(method) ? new Call.Token() : NOT_ALLOWED;
        }
        if (sub.equals(PROXY_PATH)) {
            return NO_TARGET;
        }
        if (sub.startsWith("/rest/") || sub.equals("/rest")) {
            return new Call.Unrouted(404,
                    "Not emulated: of the REST API the fal emulator serves only the realtime token, storage token,"
                            + " upload and JWKS calls");
        }
        return NOT_FOUND;
    }

    /** {@code <file>/multipart/<uploadId>/<n>} (PUT) or {@code <file>/multipart/<uploadId>/complete} (POST). */
    private static Call multipart(String method, String rest) {
        int at = rest.lastIndexOf("/multipart/");
        String file = rest.substring(0, at);
        String[] tail = rest.substring(at + "/multipart/".length()).split("/");
        if (tail.length != 2 || file.isEmpty()) {
            return NOT_FOUND;
        }
        if (tail[1].equals("complete")) {
            return "POST".equals(method) ? new Call.Storage(CallKind.MULTIPART_COMPLETE, file, tail[0], null)
                    : NOT_ALLOWED;
        }
        try {
            int part = Integer.parseInt(tail[1]);
            return part < 1 ? NOT_FOUND : "PUT".equals(method)
                    ? new Call.Storage(CallKind.UPLOAD_PART, file, tail[0], part) : NOT_ALLOWED;
        } catch (NumberFormatException e) {
            return NOT_FOUND;
        }
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
        boolean realtime = id.path() != null && (id.path().equals("realtime") || id.path().endsWith("/realtime"));
        if ("GET".equals(method) && realtime) {
            return new Call.Realtime(EndpointId.parse(rest.substring(0, rest.length() - "/realtime".length())));
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
