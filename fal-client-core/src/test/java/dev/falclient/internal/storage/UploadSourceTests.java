package dev.falclient.internal.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import reactor.core.publisher.Flux;

/** A file is read region by region, only when a region's body is subscribed, in buffers of bounded size. */
class UploadSourceTests {

    @TempDir
    Path dir;

    private static String text(Flux<DataBuffer> region) {
        DataBuffer joined = DataBufferUtils.join(region).block();
        String text = joined.toString(StandardCharsets.UTF_8);
        DataBufferUtils.release(joined);
        return text;
    }

    @Test
    void aRegionIsReadWhenSubscribedNotWhenCreated() throws Exception {
        Path path = Files.writeString(dir.resolve("f.bin"), "aaaaabbbbbccc");
        UploadSource.File source = UploadSource.File.of(path);
        Flux<DataBuffer> second = source.read(5, 5);
        // changed after the region was created: the region reads what is there when it is sent
        Files.writeString(path, "aaaaaBBBBBccc");
        assertThat(text(second)).isEqualTo("BBBBB");
        // every subscription (a retry) reads again
        Files.writeString(path, "aaaaaXXXXXccc");
        assertThat(text(second)).isEqualTo("XXXXX");
        assertThat(text(source.read(10, 3))).isEqualTo("ccc");
    }

    @Test
    void aLargeRegionArrivesInSmallBuffers() throws Exception {
        Path path = Files.write(dir.resolve("big.bin"), new byte[UploadSource.BUFFER_SIZE * 4 + 10]);
        UploadSource.File source = UploadSource.File.of(path);
        var sizes = source.read(3, UploadSource.BUFFER_SIZE * 3L).map(b -> {
            int n = b.readableByteCount();
            DataBufferUtils.release(b);
            return n;
        }).collectList().block();
        assertThat(sizes).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(UploadSource.BUFFER_SIZE));
        assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(UploadSource.BUFFER_SIZE * 3);
    }

    @Test
    void bytesAreViewedNotCopied() {
        UploadSource.Bytes source = new UploadSource.Bytes("0123456789".getBytes(StandardCharsets.UTF_8));
        assertThat(text(source.read(2, 3))).isEqualTo("234");
    }
}
