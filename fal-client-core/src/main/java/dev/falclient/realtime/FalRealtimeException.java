package dev.falclient.realtime;

import dev.falclient.FalException;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * A realtime connection failed: fal refused it, the app reported an error ({@code x-fal-error}), or the socket closed
 * abnormally. The message never contains the key or the token.
 *
 * <pre>{@code
 * fal.realtime().connect(id, inputs)
 *    .onErrorResume(FalRealtimeException.class, e -> { log.warn("{}: {}", e.code(), e.reason()); return Flux.empty(); });
 * }</pre>
 */
public class FalRealtimeException extends FalException {

    /** fal refused the connection (HTTP status in {@link #httpStatus()}). */
    public static final String CONNECT_REFUSED = "CONNECT_REFUSED";
    /** The connection could not be opened (network, TLS, timeout). */
    public static final String CONNECT_FAILED = "CONNECT_FAILED";
    /** The socket closed without a normal close (status in {@link #closeStatus()}, 1006 when none was sent). */
    public static final String CONNECTION_CLOSED = "CONNECTION_CLOSED";
    /** The short-lived token could not be obtained. */
    public static final String TOKEN_FAILED = "TOKEN_FAILED";
    /** fal sent a frame the client cannot read. */
    public static final String UNREADABLE_FRAME = "UNREADABLE_FRAME";

    private final String code;
    private final String reason;
    private final int closeStatus;
    private final int httpStatus;

    /**
     * @param code        fal's error code ({@code INTERNAL_ERROR}, ...) or one of this class's constants
     * @param closeStatus the WebSocket close status, 0 when none
     * @param httpStatus  the HTTP status fal refused the connection with, 0 when none
     */
    public FalRealtimeException(String code, String reason, int closeStatus, int httpStatus,
                                @Nullable Throwable cause) {
        super("realtime " + code + ": " + reason, null, cause);
        this.code = code;
        this.reason = reason;
        this.closeStatus = closeStatus;
        this.httpStatus = httpStatus;
    }

    /** fal's error code (e.g. {@code INTERNAL_ERROR}) or one of this class's constants. */
    public String code() {
        return code;
    }

    /** What fal or the client said about it. */
    public String reason() {
        return reason;
    }

    /** The WebSocket close status, when the socket closed. */
    public OptionalInt closeStatus() {
        return closeStatus == 0 ? OptionalInt.empty() : OptionalInt.of(closeStatus);
    }

    /** The HTTP status fal refused the connection with ({@link #CONNECT_REFUSED}). */
    public OptionalInt httpStatus() {
        return httpStatus == 0 ? OptionalInt.empty() : OptionalInt.of(httpStatus);
    }
}
