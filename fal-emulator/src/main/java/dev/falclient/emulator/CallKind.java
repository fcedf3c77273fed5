package dev.falclient.emulator;

/**
 * The kind of an HTTP call received by the {@link FalEmulator}. Used to filter recorded requests and to aim faults.
 *
 * <p>Usage: {@code emu.fault(CallKind.STATUS).times(2).httpStatus(429);}
 */
public enum CallKind {
    /** {@code POST {queue}/{endpointId}}: queue submit. */
    SUBMIT,
    /** {@code GET {queue}/{ns/}{owner}/{alias}/requests/{id}/status}: status poll. */
    STATUS,
    /** {@code GET {queue}/{ns/}{owner}/{alias}/requests/{id}/status/stream}: status server-sent events. */
    STATUS_STREAM,
    /** {@code GET {queue}/{ns/}{owner}/{alias}/requests/{id}}: result. */
    RESULT,
    /** {@code PUT {queue}/{ns/}{owner}/{alias}/requests/{id}/cancel}: cancel. */
    CANCEL,
    /** {@code POST {run}/{endpointId}}: synchronous run. */
    RUN,
    /** {@code POST {run}/{endpointId}/stream}: streaming run (server-sent events). */
    STREAM,
    /** {@code GET {cdn}/files/...}: generated file download (public, no auth). */
    FILE,
    /** {@code POST {rest}/storage/auth/token?storage_type=fal-cdn-v3}: a CDN token (needs the key). */
    STORAGE_TOKEN,
    /** {@code POST {cdn}/files/upload}: a file in one piece (needs a CDN token). */
    UPLOAD,
    /** {@code POST {cdn}/files/upload/multipart}: starts a multipart upload (needs a CDN token). */
    MULTIPART_START,
    /** {@code PUT {access_url}/multipart/{uploadId}/{n}}: one part (needs a CDN token). */
    UPLOAD_PART,
    /** {@code POST {access_url}/multipart/{uploadId}/complete}: joins the parts (needs a CDN token). */
    MULTIPART_COMPLETE,
    /** {@code POST {rest}/storage/upload/initiate}: a pre-signed upload URL (needs the key). */
    UPLOAD_INITIATE,
    /** {@code PUT} of a pre-signed upload URL: the file, with no credentials at all. */
    SIGNED_UPLOAD,
    /** {@code POST {rest}/tokens/}: a short-lived token for realtime connections (needs the key). */
    REALTIME_TOKEN,
    /**
     * {@code GET {run}/{endpointId}/realtime} with {@code Upgrade: websocket}: a realtime session (a
     * {@code fal_jwt_token} query parameter or the key).
     */
    REALTIME,
    /** Anything else (REST host, unknown paths, wrong methods). */
    OTHER
}
