package dev.imagevision.vision.anthropic;

import dev.imagevision.crop.ImageFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UploadTest {

    @Property
    void theTargetIsNeverUpscaledFitsBothLimitsAndKeepsTheShape(@ForAll @IntRange(min = 1, max = 20000) int w,
                                                                @ForAll @IntRange(min = 1, max = 20000) int h,
                                                                @ForAll @IntRange(min = 64, max = 8000) int maxEdge) {
        int[] t = Upload.target(w, h, maxEdge, Upload.API_MAX_PIXELS);
        assertThat(t[0]).isBetween(1, w);
        assertThat(t[1]).isBetween(1, h);
        if (t[0] > 1 && t[1] > 1) {
            assertThat(Math.max(t[0], t[1])).isLessThanOrEqualTo(maxEdge);
            assertThat((long) t[0] * t[1]).isLessThanOrEqualTo(Upload.API_MAX_PIXELS);
        }
        if (w <= maxEdge && h <= maxEdge && (long) w * h <= Upload.API_MAX_PIXELS) assertThat(t).containsExactly(w, h);
    }

    @Test
    void jpegShrinkOnLoadNeverGoesBelowTheTarget() {
        assertThat(Upload.reduction(ImageFormat.JPEG, 6000, 1313)).isEqualTo(4);
        assertThat(Upload.reduction(ImageFormat.JPEG, 2000, 1313)).isEqualTo(1);
        assertThat(Upload.reduction(ImageFormat.PNG, 6000, 700)).isEqualTo(1);
    }

    @Test
    void anUprightSmallImageIsSentAsItIs(@TempDir Path dir) throws Exception {
        Path f = TestImages.write(dir.resolve("a.webp"), ".webp", 300, 200, 4);
        Upload u = Upload.prepare(f, 1568, 100_000_000, dev.imagevision.testing.Runs.CODEC);
        assertThat(u.reencoded()).isFalse();
        assertThat(u.mediaType()).isEqualTo("image/webp");
        assertThat(u.bytes()).isEqualTo(Files.readAllBytes(f));
    }

    @Test
    void thePixelGuardRefusesBeforeDecoding(@TempDir Path dir) throws Exception {
        Path f = TestImages.write(dir.resolve("big.png"), ".png", 2000, 2000, 5);
        assertThatThrownBy(() -> Upload.prepare(f, 1568, 1_000_000, dev.imagevision.testing.Runs.CODEC)).hasMessageContaining("megapixel");
    }

    @Test
    void svgIsRecognisedByItsBytes() {
        assertThat(Upload.looksLikeSvg("  <svg width='1'/>".getBytes())).isTrue();
        assertThat(Upload.looksLikeSvg("<?xml version='1.0'?><svg/>".getBytes())).isTrue();
        assertThat(Upload.looksLikeSvg("<?xml version='1.0'?><html/>".getBytes())).isFalse();
        assertThat(Upload.looksLikeSvg(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF})).isFalse();
    }
}
