package dev.falclient.emulator;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One realtime WebSocket session the {@link FalEmulator} served ({@code {run}/{endpointId}/realtime}, fal-protocol.md
 * section 5.8), as seen at the moment {@link FalEmulator#realtimeSessions()} was called. The token is a secret:
 * {@link #toString()} leaves it out.
 *
 * <p>Usage: {@code await().until(() -> emu.realtimeSessions().get(0).outputs() == 2);}
 *
 * @param id             the emulator's id of the session
 * @param endpointId     the endpoint id: the path without {@code /realtime} (sub-path kept)
 * @param auth           how the session was authorised
 * @param token          the {@code fal_jwt_token} it was opened with, or {@code null} with {@link Auth#KEY}
 * @param query          the other query parameters (first values), e.g. {@code max_buffering}
 * @param inputs         the inputs received, oldest first, decoded (msgpack {@code bin} as binary nodes); bounded by
 *                       the emulator's recording limits, which forget the oldest first
 * @param inputsReceived every input received, however many {@code inputs} still holds
 * @param outputs        outputs sent (timings messages not counted)
 * @param droppedInputs  the inputs dropped unprocessed because more than {@code max_buffering} were waiting (among
 *                       {@code inputs}, so bounded alike)
 * @param dropped        every input dropped so
 * @param open           whether the session is still open
 * @param closeStatus    the status of the close frame that ended it (whichever side sent it first); 1006 when the
 *                       connection ended without one; 0 while open
 * @param openedAt       when the WebSocket was opened
 */
public record RealtimeSession(String id, String endpointId, Auth auth, @Nullable String token,
                              Map<String, String> query, List<JsonNode> inputs, long inputsReceived, long outputs,
                              List<JsonNode> droppedInputs, long dropped, boolean open, int closeStatus,
                              Instant openedAt) {

    /** How a realtime session was authorised. */
    public enum Auth {
        /** A {@code fal_jwt_token} query parameter (the default of fal's clients). */
        TOKEN,
        /** An {@code Authorization: Key ...} handshake header (Python's {@code use_jwt=False}). */
        KEY
    }

    /** Copies the collections. */
    public RealtimeSession {
        Objects.requireNonNull(id, "id");
        query = Map.copyOf(query);
        inputs = List.copyOf(inputs);
        droppedInputs = List.copyOf(droppedInputs);
    }

    @Override
    public String toString() {
        return "RealtimeSession[id=" + id + ", endpointId=" + endpointId + ", auth=" + auth + ", query=" + query
                + ", inputsReceived=" + inputsReceived + ", outputs=" + outputs + ", dropped=" + dropped + ", open="
                + open + ", closeStatus=" + closeStatus + ", openedAt=" + openedAt + "]";
    }
}
