package dev.falclient.emulator;

/**
 * A file uploaded to the {@link FalEmulator}'s storage, served back at {@link #url()}.
 *
 * <p>Usage: {@code assertThat(emu.uploads()).extracting(UploadedFile::fileName).containsExactly("cat.png");}
 *
 * @param url         where the file is served (below {@code cdnUrl() + "/files/"})
 * @param fileName    the name the client gave it
 * @param contentType its content type
 * @param size        its size in bytes
 * @param flow        how it arrived: {@link CallKind#UPLOAD}, {@link CallKind#MULTIPART_COMPLETE} or
 *                    {@link CallKind#SIGNED_UPLOAD}
 * @param lifecycle   the {@code X-Fal-Object-Lifecycle} header it came with, or {@code null}
 */
public record UploadedFile(String url, String fileName, String contentType, long size, CallKind flow,
                           String lifecycle) {
}
