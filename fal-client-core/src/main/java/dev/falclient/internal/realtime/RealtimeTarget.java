package dev.falclient.internal.realtime;

import dev.falclient.EndpointId;

/**
 * Where a realtime connection goes.
 *
 * @param endpointId the endpoint id as the caller gave it
 * @param app        fal's app alias, the scope of the token
 * @param uri        {@code wss://fal.run/{endpointId}{path}}, without the query that carries the token
 */
record RealtimeTarget(String endpointId, String app, String uri) {

    /**
     * fal-js's rule: the path is appended unless the endpoint id already ends with it (the Python client would
     * double it).
     */
    static RealtimeTarget of(String endpointId, String path, String runUrl) {
        EndpointId id = EndpointId.parse(endpointId);
        String full = id.toString();
        String wsBase = runUrl.replaceFirst("^http", "ws");
        return new RealtimeTarget(endpointId, id.alias(), wsBase + "/" + full + (full.endsWith(path) ? "" : path));
    }
}
