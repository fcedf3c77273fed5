package dev.falclient.spring.autoconfigure.proxy;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the fal proxy for browser clients, bound from {@code fal.proxy.*}. The proxy is off by default, and
 * on it lets nothing through until endpoints are listed.
 *
 * <pre>{@code
 * fal.proxy.enabled=true
 * fal.proxy.allowed-endpoints=fal-ai/flux/*,fal-ai/fast-sdxl
 * }</pre>
 *
 * @param enabled          Whether to serve the fal proxy route for browser clients (fal's JS client with proxyUrl).
 * @param path             Path of the proxy route (GET, POST and PUT with the X-Fal-Target-Url header).
 * @param allowedEndpoints Endpoint id patterns the proxy lets through, e.g. fal-ai/flux/* (* is one path segment,
 *                         ** any number); empty lets nothing through.
 */
@ConfigurationProperties(FalProxyProperties.PREFIX)
public record FalProxyProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("/api/fal/proxy") String path,
        List<String> allowedEndpoints) {

    /** The property prefix, {@value}. */
    public static final String PREFIX = "fal.proxy";

    /** Checks the path and the patterns, so that a bad value fails the start naming its property. */
    public FalProxyProperties {
        if (path == null || !path.startsWith("/") || path.contains("*") || path.contains("{")) {
            throw new IllegalArgumentException(PREFIX + ".path must be a literal path starting with '/', was '"
                    + path + "'");
        }
        allowedEndpoints = allowedEndpoints == null ? List.of() : List.copyOf(allowedEndpoints);
        new EndpointAllowList(allowedEndpoints);
    }
}
