package dev.falclient.storage;

import dev.falclient.FalException;
import java.util.OptionalInt;

/**
 * An upload to fal's storage failed after its retries (and the fallback flow). Names the file and, for a multipart
 * upload, the part; the cause is the last failure.
 *
 * <pre>{@code
 * try { fal.storage().upload(file); }
 * catch (FalUploadException e) { log.warn("upload of {} failed at part {}", e.fileName(), e.part()); }
 * }</pre>
 */
public class FalUploadException extends FalException {

    private final String fileName;
    private final Integer part;

    /** Created by the client; not API. */
    public FalUploadException(String message, String fileName, Integer part, Throwable cause) {
        super(message, null, cause, false);
        this.fileName = fileName;
        this.part = part;
    }

    /** The name of the file that failed to upload. */
    public String fileName() {
        return fileName;
    }

    /** The 1-based part that failed, when a multipart upload failed in a part. */
    public OptionalInt part() {
        return part == null ? OptionalInt.empty() : OptionalInt.of(part);
    }
}
