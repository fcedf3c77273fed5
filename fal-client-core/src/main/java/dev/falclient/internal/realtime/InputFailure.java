package dev.falclient.internal.realtime;

/**
 * The caller's input flux failed, or an input could not be encoded: the caller's error, not fal's, so it ends the
 * connection unwrapped and is never a reason to reconnect.
 */
final class InputFailure extends RuntimeException {

    InputFailure(Throwable cause) {
        super(cause.getMessage(), cause, false, false);
    }
}
