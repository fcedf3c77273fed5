package dev.falclient.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class PngRendererTests {

    @Test
    void aCaptionKeepsWhatIsDrawnAndStillTellsLongPromptsApart() throws Exception {
        String prompt = "a".repeat(1_000_000);
        PngRenderer.Caption caption = PngRenderer.Caption.of(prompt);
        PngRenderer.Caption other = PngRenderer.Caption.of(prompt + "b");

        // 200 drawn, one more to know that an ellipsis follows
        assertThat(caption.text()).isEqualTo("a".repeat(201));
        assertThat(other.text()).isEqualTo("a".repeat(201));
        assertThat(other.hash()).isNotEqualTo(caption.hash()); // the colours still come from the whole prompt

        BufferedImage img = ImageIO.read(new ByteArrayInputStream(new PngRenderer(4).render("x.png", caption)));
        assertThat(img.getWidth()).isEqualTo(PngRenderer.SIZE);
    }
}
