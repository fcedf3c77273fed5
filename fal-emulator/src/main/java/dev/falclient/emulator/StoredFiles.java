package dev.falclient.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The emulator's storage: issued CDN tokens, files (bounded by total size: the oldest go first), open multipart
 * uploads and pending pre-signed uploads. Thread-safe.
 */
final class StoredFiles {

    static final Duration TOKEN_LIFETIME = Duration.ofHours(1);
    private static final long MAX_BYTES = 512L * 1024 * 1024;

    record Stored(UploadedFile info, byte[] bytes) {
    }

    /** An open multipart upload: the file's name and type, and the parts received so far. */
    record Session(String file, String fileName, String contentType, String lifecycle,
                   Map<Integer, byte[]> parts, Map<Integer, String> etags) {
    }

    /** A pre-signed upload URL handed out but not used yet. */
    record Pending(String file, String fileName, String contentType, String lifecycle) {
    }

    private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, Pending> signed = new ConcurrentHashMap<>();
    private final LinkedHashMap<String, Stored> files = new LinkedHashMap<>();
    private long totalBytes;

    String issueToken(Instant now) {
        String token = "emu-cdn-" + UUID.randomUUID();
        tokens.put(token, now.plus(TOKEN_LIFETIME));
        return token;
    }

    Instant expiry(String token) {
        return tokens.get(token);
    }

    boolean validToken(String token, Instant now) {
        Instant expiry = token == null ? null : tokens.get(token);
        return expiry != null && now.isBefore(expiry);
    }

    /** A new name below {@code files/}: a random folder keeps equal file names apart. */
    static String newName(String fileName) {
        String safe = fileName == null || fileName.isBlank() ? "upload.bin"
                : fileName.replaceAll("[^A-Za-z0-9._-]", "_");
        return UUID.randomUUID().toString().replace("-", "") + "/" + safe;
    }

    void put(String name, UploadedFile info, byte[] bytes) {
        synchronized (files) {
            Stored old = files.put(name, new Stored(info, bytes));
            totalBytes += bytes.length - (old == null ? 0 : old.bytes().length);
            Iterator<Stored> oldest = files.values().iterator();
            while (totalBytes > MAX_BYTES && files.size() > 1 && oldest.hasNext()) {
                totalBytes -= oldest.next().bytes().length;
                oldest.remove();
            }
        }
    }

    Stored get(String name) {
        synchronized (files) {
            return files.get(name);
        }
    }

    List<UploadedFile> uploads() {
        synchronized (files) {
            return new ArrayList<>(files.values().stream().map(Stored::info).toList());
        }
    }

    String startSession(String file, String fileName, String contentType, String lifecycle) {
        String id = "up-" + UUID.randomUUID();
        sessions.put(id, new Session(file, fileName, contentType, lifecycle, new ConcurrentHashMap<>(),
                new ConcurrentHashMap<>()));
        return id;
    }

    Session session(String uploadId) {
        return sessions.get(uploadId);
    }

    Session endSession(String uploadId) {
        return sessions.remove(uploadId);
    }

    String sign(String file, String fileName, String contentType, String lifecycle) {
        String id = UUID.randomUUID().toString().replace("-", "");
        signed.put(id, new Pending(file, fileName, contentType, lifecycle));
        return id;
    }

    Pending takeSigned(String id) {
        return signed.remove(id);
    }

    void clear() {
        tokens.clear();
        sessions.clear();
        signed.clear();
        synchronized (files) {
            files.clear();
            totalBytes = 0;
        }
    }
}
