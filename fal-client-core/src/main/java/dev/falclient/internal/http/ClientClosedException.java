package dev.falclient.internal.http;

/** A call on a closed client: reported as the {@link IllegalStateException} any closed resource throws. */
public final class ClientClosedException extends IllegalStateException {

    public ClientClosedException() {
        super("This fal client is closed");
    }
}
