package dev.falclient.realtime;

/**
 * How realtime inputs are framed. Outputs are read either way: binary frames as msgpack, text frames as JSON.
 *
 * <pre>{@code RealtimeOptions.builder().encoding(RealtimeEncoding.JSON).build()}</pre>
 */
public enum RealtimeEncoding {
    /** Each input msgpack-encoded in a binary frame: what fal's apps expect (fal's default). */
    MSGPACK,
    /** Each input as JSON in a text frame, for apps that read JSON. */
    JSON
}
