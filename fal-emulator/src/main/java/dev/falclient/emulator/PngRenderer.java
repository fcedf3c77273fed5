package dev.falclient.emulator;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Renders the placeholder PNGs served under {@code cdnUrl()/files/}. Headless; works without fonts. */
final class PngRenderer {

    private static final Logger log = LoggerFactory.getLogger(PngRenderer.class);

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    static final int SIZE = 512;
    private static final int TEXT_LIMIT = 200;

    private final Map<String, byte[]> cache;
    private volatile boolean textBroken;

    PngRenderer(int cacheSize) {
        this.cache = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
                return size() > cacheSize;
            }
        };
    }

    /**
     * What is drawn for a prompt: its start (all that fits on the picture) and a hash of all of it (the colours).
     * Kept instead of the prompt so that remembering the captions of many requests costs little memory however long
     * their prompts are.
     */
    record Caption(String text, int hash) {
        /** One character more than is drawn, so that a cut prompt still gets its ellipsis. */
        private static final int KEPT = TEXT_LIMIT + 1;

        static Caption of(String full) {
            return new Caption(full.length() > KEPT ? full.substring(0, KEPT) : full, fnv(full));
        }
    }

    /** Rendered bytes for a file name, cached (LRU); {@code caption} {@code null} draws the file name. */
    byte[] render(String fileName, Caption caption) {
        Caption c = caption == null || caption.text().isEmpty() ? Caption.of(fileName) : caption;
        String key = fileName + "\u0000" + c.hash() + "\u0000" + c.text();
        synchronized (cache) {
            byte[] hit = cache.get(key);
            if (hit != null) {
                return hit;
            }
        }
        byte[] bytes = draw(c);
        synchronized (cache) {
            cache.put(key, bytes);
        }
        return bytes;
    }

    private byte[] draw(Caption caption) {
        String text = caption.text();
        int h = caption.hash();
        Color a = Color.getHSBColor((h & 0xffff) / 65535f, 0.55f, 0.95f);
        Color b = Color.getHSBColor(((h >>> 16) & 0xffff) / 65535f, 0.75f, 0.45f);
        BufferedImage img = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        int stripes = 4 + (h & 7);
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                float t = (x + y) / (2f * SIZE);
                int r = (int) (a.getRed() * (1 - t) + b.getRed() * t);
                int g = (int) (a.getGreen() * (1 - t) + b.getGreen() * t);
                int bl = (int) (a.getBlue() * (1 - t) + b.getBlue() * t);
                if (((x * stripes / SIZE) + (y * stripes / SIZE)) % 2 == 0) {
                    r = Math.min(255, r + 18);
                    g = Math.min(255, g + 18);
                    bl = Math.min(255, bl + 18);
                }
                img.setRGB(x, y, (r << 16) | (g << 8) | bl);
            }
        }
        if (!textBroken) {
            try {
                Graphics2D g = img.createGraphics();
                try {
                    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                    g.setColor(Color.WHITE);
                    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 22));
                    g.drawString("fal emulator", 24, 40);
                    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 18));
                    String s = text.length() > TEXT_LIMIT ? text.substring(0, TEXT_LIMIT) + "…" : text;
                    int y = 80;
                    for (int i = 0; i < s.length() && y < SIZE - 20; i += 40, y += 26) {
                        g.drawString(s.substring(i, Math.min(s.length(), i + 40)), 24, y);
                    }
                } finally {
                    g.dispose();
                }
            } catch (Throwable e) { // fonts may be missing on the machine: the picture still renders
                textBroken = true;
                log.debug("fal emulator: cannot draw text on generated images ({}); rendering without text", e.toString());
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        try {
            if (!ImageIO.write(img, "png", out)) {
                throw new IOException("no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static int fnv(String s) {
        int h = 0x811c9dc5;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b;
            h *= 0x01000193;
        }
        return h;
    }
}
