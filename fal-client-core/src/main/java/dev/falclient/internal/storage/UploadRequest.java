package dev.falclient.internal.storage;

import java.util.Map;

/**
 * One file to upload.
 *
 * @param lifecycle the lifecycle headers to send (empty: none)
 */
record UploadRequest(UploadSource source, String fileName, String contentType, Map<String, String> lifecycle) {

    /** How the file is named in errors and logs. */
    String describe() {
        return "'" + fileName + "' (" + source.size() + " bytes)";
    }
}
