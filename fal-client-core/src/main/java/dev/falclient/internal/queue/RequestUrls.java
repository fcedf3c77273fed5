package dev.falclient.internal.queue;

import dev.falclient.EndpointId;
import dev.falclient.FalRequest;
import dev.falclient.internal.json.FalJson;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.JsonNode;

/**
 * Every URL the client calls. fal's returned URLs are preferred (they are right for every endpoint shape), but only
 * when they point below the configured queue URL: behind a gateway or proxy they would bypass it and send the key
 * straight to fal.
 */
public final class RequestUrls {

    private static final Logger log = LoggerFactory.getLogger(RequestUrls.class);

    private static final String STREAM = "stream";
    private static final int MAX_REMEMBERED_SUBMIT_URLS = 256;

    private final String queueUrl;
    private final String runUrl;
    /** By endpoint id, the submit URLs without path or webhook: an application calls a few endpoints many times. */
    private final Map<String, URI> plainSubmitUrls = new ConcurrentHashMap<>();

    public RequestUrls(String queueUrl, String runUrl) {
        this.queueUrl = queueUrl;
        this.runUrl = runUrl;
    }

    /** The submit URL; throws {@code IllegalArgumentException} for a malformed endpoint id. */
    URI submit(String endpointId, CallOptions options) {
        if (options.path() != null || options.webhookUrl() != null) {
            return submit(EndpointId.parse(endpointId), options);
        }
        URI known = plainSubmitUrls.get(endpointId);
        if (known != null) {
            return known;
        }
        URI uri = submit(EndpointId.parse(endpointId), options);
        if (plainSubmitUrls.size() < MAX_REMEMBERED_SUBMIT_URLS) {
            plainSubmitUrls.putIfAbsent(endpointId, uri);
        }
        return uri;
    }

    private URI submit(EndpointId id, CallOptions options) {
        UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(queueUrl)
                .pathSegment(segments(id, options.path()));
        if (options.webhookUrl() == null) {
            return uri.encode().build().toUri();
        }
        // as a URI variable so it is encoded strictly ('+', '&', '=', '#' escaped): a literal '+' would reach fal
        // as a space
        return uri.queryParam("fal_webhook", "{falWebhook}").encode().buildAndExpand(options.webhookUrl()).toUri();
    }

    URI run(EndpointId id, CallOptions options) {
        return UriComponentsBuilder.fromUriString(runUrl).pathSegment(segments(id, options.path()))
                .encode().build().toUri();
    }

    /**
     * A streaming run: {@code {run}/{endpointId}/{path}}, where the path defaults to {@code stream} (as in fal's
     * clients, a given path replaces it) and is not added again to an id that already ends with it.
     */
    public URI stream(EndpointId id, String path) {
        List<String> own = id.fullSegments();
        String streamPath = path != null || STREAM.equals(own.get(own.size() - 1)) ? path : STREAM;
        return UriComponentsBuilder.fromUriString(runUrl).pathSegment(segments(id, streamPath))
                .encode().build().toUri();
    }

    /** The request with the URLs fal returned in its submit reply (where trusted), else derived ones. */
    FalRequest fromSubmitReply(String endpointId, String requestId, JsonNode reply) {
        return withTrustedUrls(new FalRequest(endpointId, requestId, FalJson.text(reply, "status_url"),
                FalJson.text(reply, "response_url"), FalJson.text(reply, "cancel_url")));
    }

    /** A stored or hand-made request with every URL filled in: its own where trusted, else derived ones. */
    FalRequest resolve(FalRequest request) {
        return withTrustedUrls(request);
    }

    /** Keeps each trusted URL; only when one is missing or untrusted are the URLs derived from the ids. */
    private FalRequest withTrustedUrls(FalRequest request) {
        boolean status = trusted(request.statusUrl());
        boolean response = trusted(request.responseUrl());
        boolean cancel = trusted(request.cancelUrl());
        if (status && response && cancel) {
            return request;
        }
        FalRequest derived = derive(request.endpointId(), request.requestId());
        return new FalRequest(request.endpointId(), request.requestId(),
                status ? request.statusUrl() : derived.statusUrl(),
                response ? request.responseUrl() : derived.responseUrl(),
                cancel ? request.cancelUrl() : derived.cancelUrl());
    }

    private FalRequest derive(String endpointId, String requestId) {
        EndpointId id = EndpointId.parse(endpointId);
        String base = UriComponentsBuilder.fromUriString(queueUrl).pathSegment(id.appSegments().toArray(String[]::new))
                .pathSegment("requests", requestId).encode().build().toUriString();
        return new FalRequest(endpointId, requestId, base + "/status", base, base + "/cancel");
    }

    URI status(FalRequest request, boolean withLogs) {
        return withLogs(request.statusUrl(), withLogs);
    }

    URI statusStream(FalRequest request, boolean withLogs) {
        return withLogs(request.statusUrl() + "/stream", withLogs);
    }

    URI result(FalRequest request) {
        return URI.create(request.responseUrl());
    }

    URI cancel(FalRequest request) {
        return URI.create(request.cancelUrl());
    }

    private boolean trusted(String returned) {
        if (returned.isEmpty()) {
            return false;
        }
        if (returned.startsWith(queueUrl + "/") && wellFormed(returned)) {
            return true;
        }
        log.debug("Ignoring fal URL {}: malformed, or outside the configured queue URL {}", returned, queueUrl);
        return false;
    }

    private static boolean wellFormed(String url) {
        try {
            new URI(url);
            return true;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static URI withLogs(String url, boolean withLogs) {
        if (!withLogs) {
            // trusted URLs are well-formed: no builder needed on the path every request takes
            return URI.create(url);
        }
        return UriComponentsBuilder.fromUriString(url).replaceQueryParam("logs", "1").build(true).toUri();
    }

    private static String[] segments(EndpointId id, String path) {
        List<String> all = new ArrayList<>(id.fullSegments());
        if (path != null) {
            for (String part : path.split("/")) {
                if (!part.isBlank()) {
                    all.add(part);
                }
            }
        }
        return all.toArray(String[]::new);
    }

}
