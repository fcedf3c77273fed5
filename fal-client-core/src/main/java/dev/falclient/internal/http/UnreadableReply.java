package dev.falclient.internal.http;

/**
 * A reply fal sent that cannot be read (malformed or truncated JSON). Retried like a transport failure for calls that
 * are safe to repeat, then reported as a {@code FalResponseException}.
 */
final class UnreadableReply extends RuntimeException {

    UnreadableReply(String what, Throwable cause) {
        super(what, cause, false, false);
    }
}
