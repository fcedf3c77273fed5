package dev.falclient.internal.storage;

/** A part of a multipart upload failed after its own retries; carries the part number to the final error. */
final class PartFailure extends RuntimeException {

    private final int part;
    private final int parts;

    PartFailure(int part, int parts, Throwable cause) {
        super("part " + part + " of " + parts + " failed: " + cause.getMessage(), cause, false, false);
        this.part = part;
        this.parts = parts;
    }

    int part() {
        return part;
    }

    int parts() {
        return parts;
    }
}
