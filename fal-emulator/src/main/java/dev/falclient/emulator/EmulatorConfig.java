package dev.falclient.emulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The settings a {@link FalEmulator} runs with, frozen by {@link FalEmulator.Builder#start()}. A record so that the
 * builder cannot hand over a half-copied state: a new setting is a new component, and the one place that builds the
 * record stops compiling until it passes the value on.
 *
 * @param streamKeepAlive     how often an SSE comment is sent on streams, or {@code null} for never
 * @param realtimeIdleTimeout how long a realtime session may go without an input
 */
record EmulatorConfig(String host, int port, String pathPrefix, @Nullable String requiredKey, int workers,
                      Duration processingTime, Duration queueTime, int logLines, Duration logWindow,
                      int logWindowLines, @Nullable Duration streamKeepAlive, boolean deliverWebhooks,
                      int maxRecordedRequests, long maxRecordedBytes, int maxRetainedRequests, long maxBodySize,
                      Duration realtimeIdleTimeout) {

    /** {@code "/gateway"} for {@code "gateway/"} and the like; {@code ""} for none. */
    static String normalisePrefix(@Nullable String pathPrefix) {
        String p = pathPrefix == null ? "" : pathPrefix.trim();
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.isEmpty() || p.startsWith("/") ? p : "/" + p;
    }

    /** {@code http://host:port[/prefix]}, naming a wildcard bind address by the loopback one clients can reach. */
    String baseUrl(int boundPort) {
        String urlHost = "0.0.0.0".equals(host) || "::".equals(host) ? "127.0.0.1" : host;
        if (urlHost.contains(":") && !urlHost.startsWith("[")) {
            urlHost = "[" + urlHost + "]";
        }
        return "http://" + urlHost + ":" + boundPort + pathPrefix;
    }

    /** The generic log lines of a request whose endpoint has no scripted ones. */
    List<String> defaultLogLines() {
        List<String> lines = new ArrayList<>(logLines);
        for (int i = 1; i <= logLines; i++) {
            lines.add(i == 1 ? "Loading model" : "Inference step " + (i - 1) + "/" + (logLines - 1));
        }
        return List.copyOf(lines);
    }
}
