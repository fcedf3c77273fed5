package dev.falclient.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data URLs: {@code data:<type>;base64,<standard base64>}. */
class DataUrlsTests {

    @TempDir
    Path dir;

    @Test
    void bytesBecomeADataUrlOfTheirType() {
        byte[] bytes = {(byte) 0xfb, (byte) 0xff, 0, 1};
        assertThat(DataUrls.encode(bytes, "image/png")).isEqualTo("data:image/png;base64,+/8AAQ==");
        assertThat(DataUrls.encode(new byte[0], "text/plain")).isEqualTo("data:text/plain;base64,");
    }

    @Test
    void aFileTakesItsTypeFromItsName() throws Exception {
        Path png = Files.write(dir.resolve("mask.png"), "png".getBytes(StandardCharsets.UTF_8));
        Path unknown = Files.write(dir.resolve("blob.zzz"), "x".getBytes(StandardCharsets.UTF_8));
        assertThat(DataUrls.encode(png)).isEqualTo("data:image/png;base64,"
                + Base64.getEncoder().encodeToString("png".getBytes(StandardCharsets.UTF_8)));
        assertThat(DataUrls.encode(unknown)).startsWith("data:application/octet-stream;base64,");
    }

    @Test
    void badInputSaysWhatIsWrong() {
        assertThatThrownBy(() -> DataUrls.encode(new byte[1], " ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("contentType");
        assertThatThrownBy(() -> DataUrls.encode(dir.resolve("missing.png")))
                .hasMessageContaining("missing.png");
    }
}
