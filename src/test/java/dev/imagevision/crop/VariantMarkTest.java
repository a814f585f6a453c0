package dev.imagevision.crop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VariantMarkTest {
    static byte[] jpeg() throws Exception {
        BufferedImage img = new BufferedImage(32, 24, BufferedImage.TYPE_INT_RGB);
        img.setRGB(3, 4, 0xFF0000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", out);
        return out.toByteArray();
    }

    @Test
    void aMarkedVariantNamesItsSourceAndDecodesToTheSamePixels(@TempDir Path dir) throws Exception {
        byte[] plain = jpeg();
        byte[] marked = VariantMark.marked(plain, "16x9", "abababababababababababababababababababababababababababababababab", "/images/missions/x/01 of ü.jpg");
        Path f = Files.write(dir.resolve("v.jpg"), marked);

        assertThat(VariantMark.read(f)).contains(new VariantMark.Mark("16x9", "abababababababababababababababababababababababababababababababab", "/images/missions/x/01 of ü.jpg"));
        BufferedImage a = ImageIO.read(new ByteArrayInputStream(plain));
        BufferedImage b = ImageIO.read(new ByteArrayInputStream(marked));
        assertThat(b.getWidth()).isEqualTo(a.getWidth());
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) assertThat(b.getRGB(x, y)).isEqualTo(a.getRGB(x, y));
        }
        // JFIF readers expect APP0 right after SOI: the mark goes after it
        assertThat(marked[2] & 0xFF).isEqualTo(0xFF);
        assertThat(marked[3] & 0xFF).isEqualTo(0xE0);
    }

    @Test
    void aMarkNamingAVeryLongPathIsStillFound(@TempDir Path dir) throws Exception {
        String longPath = "/images/" + "d/".repeat(3000) + "01.jpg";
        Path f = Files.write(dir.resolve("v.jpg"), VariantMark.marked(jpeg(), "1x1", "abababababababababababababababababababababababababababababababab", longPath));
        assertThat(VariantMark.read(f).map(VariantMark.Mark::source)).contains(longPath);
    }

    @Test
    void aMarkCopiedOntoAnotherPictureOrAFileEditedSinceIsNoMark(@TempDir Path dir) throws Exception {
        String key = "ab".repeat(32);
        byte[] marked = VariantMark.marked(jpeg(), "1x1", key, "/images/x/01.jpg");
        // the same comment in front of other pixels
        BufferedImage other = new BufferedImage(32, 24, BufferedImage.TYPE_INT_RGB);
        other.setRGB(10, 10, 0x00FF00);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ImageIO.write(other, "jpg", o);
        byte[] otherMarked = VariantMark.marked(o.toByteArray(), "1x1", key, "/images/x/01.jpg");
        int head = 20 + 4 + ("imagevision variant 1x1 key " + key + " data ").length() + 64 + " of /images/x/01.jpg".length();
        byte[] forged = java.util.Arrays.copyOf(marked, marked.length);
        byte[] body = java.util.Arrays.copyOfRange(otherMarked, head, otherMarked.length);
        forged = java.util.Arrays.copyOf(forged, head + body.length);
        System.arraycopy(body, 0, forged, head, body.length);
        assertThat(VariantMark.read(Files.write(dir.resolve("forged.jpg"), forged))).isEmpty();
        // an edit after the tool wrote it: one byte of the picture changed
        byte[] edited = java.util.Arrays.copyOf(marked, marked.length);
        edited[edited.length - 10] ^= 1;
        assertThat(VariantMark.read(Files.write(dir.resolve("edited.jpg"), edited))).isEmpty();
        assertThat(VariantMark.read(Files.write(dir.resolve("ok.jpg"), marked))).isPresent();
    }

    @Test
    void filesWithoutTheMarkHaveNone(@TempDir Path dir) throws Exception {
        assertThat(VariantMark.read(Files.write(dir.resolve("a.jpg"), jpeg()))).isEmpty();
        assertThat(VariantMark.read(Files.write(dir.resolve("b.jpg"), new byte[0]))).isEmpty();
        assertThat(VariantMark.read(Files.writeString(dir.resolve("c.jpg"), "imagevision variant 1x1 of /x.jpg"))).isEmpty();
        byte[] cut = VariantMark.marked(jpeg(), "1x1", "abababababababababababababababababababababababababababababababab", "/images/x.jpg");
        assertThat(VariantMark.read(Files.write(dir.resolve("d.jpg"), java.util.Arrays.copyOf(cut, 30)))).isEmpty();
        assertThatThrownBy(() -> VariantMark.marked("GIF89a".getBytes(), "1x1", "abababababababababababababababababababababababababababababababab", "/x")).isInstanceOf(IllegalArgumentException.class);
    }
}
