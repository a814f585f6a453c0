package dev.imagevision.crop;

import static dev.imagevision.testing.CraftedImages.pngHeaderOnly;
import dev.imagevision.vision.FocalPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a site really holds besides good images: each fails alone with a message a person can act on. */
class HostileInputTest {
    private static final List<CropSpec> SPECS = List.of(new CropSpec("1x1", 1, 1, 512, 80),
            new CropSpec("4x3", 4, 3, 1200, 80), new CropSpec("16x9", 16, 9, 1920, 80));

    @TempDir
    Path dir;

    /** Counts decodes, so a test can prove nothing was decoded. */
    static final class CountingCodec implements ImageCodec {
        final ImageCodec inner = new OpenCvCodec();
        final AtomicInteger decodes = new AtomicInteger();
        final List<Integer> reductions = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public Raster decode(Path file, ImageHeader header, int reduction) throws ImageException {
            decodes.incrementAndGet();
            reductions.add(reduction);
            return inner.decode(file, header, reduction);
        }

        @Override
        public byte[] cutScaleEncode(Raster raster, int x, int y, int w, int h, int outW, int outH, int quality)
                throws ImageException {
            return inner.cutScaleEncode(raster, x, y, w, h, outW, outH, quality);
        }

        @Override
        public String libraryMajorVersion() {
            return inner.libraryMajorVersion();
        }
    }

    private final CountingCodec codec = new CountingCodec();
    private final VariantCutter cutter = new VariantCutter(codec, 268_402_689L);

    @Test
    void truncatedJpegFailsBeforeDecoding() throws Exception {
        byte[] whole = TestImages.jpeg(TestImages.quadrants(800, 600), 90);
        for (int cut : new int[] {whole.length / 2, whole.length - 2, 700}) {
            Path file = TestImages.write(dir, "cut" + cut + ".jpg", Arrays.copyOf(whole, cut));
            assertThatThrownBy(() -> cutter.cut(file, FocalPoint.CENTRE, null, SPECS))
                    .isInstanceOf(ImageException.class).hasMessageContaining("truncated JPEG");
        }
        assertThat(codec.decodes.get()).as("decode attempts stop at the end check").isEqualTo(3);
        // a header cut short fails while reading the header: nothing reaches the codec
        Path tiny = TestImages.write(dir, "tiny.jpg", Arrays.copyOf(whole, 40));
        assertThatThrownBy(() -> cutter.cut(tiny, FocalPoint.CENTRE, null, SPECS))
                .isInstanceOf(ImageException.class).hasMessageContaining("truncated JPEG");
        assertThat(codec.decodes.get()).isEqualTo(3);
    }

    @Test
    void jpegWithDataAfterItsEndIsComplete() throws Exception {
        byte[] whole = TestImages.jpeg(TestImages.quadrants(200, 100), 90);
        byte[] trailer = new byte[whole.length + 5000];
        System.arraycopy(whole, 0, trailer, 0, whole.length);
        Arrays.fill(trailer, whole.length, trailer.length, (byte) 0x5A); // e.g. a camera's trailer
        Path file = TestImages.write(dir, "trailer.jpg", trailer);
        assertThat(cutter.cut(file, FocalPoint.CENTRE, null, SPECS).variants()).hasSize(3);
        byte[] padded = Arrays.copyOf(whole, whole.length + 300); // zero padding after the end marker
        assertThat(JpegEnd.endsWithEndMarker(ByteBuffer.wrap(padded))).isTrue();
        assertThat(JpegEnd.reachesEndMarker(ByteBuffer.wrap(Arrays.copyOf(whole, whole.length - 1)))).isFalse();
    }

    @Test
    void zeroByteFileIsNotAnImage() throws Exception {
        Path file = TestImages.write(dir, "empty.jpg", new byte[0]);
        assertThatThrownBy(() -> cutter.cut(file, FocalPoint.CENTRE, null, SPECS))
                .isInstanceOf(ImageException.class).hasMessage("empty file (0 bytes)");
        assertThat(codec.decodes.get()).isZero();
    }

    @Test
    void textFileNamedJpgSaysWhatItLooksLike() throws Exception {
        Path file = TestImages.write(dir, "page.jpg",
                "<!DOCTYPE html><html><body>404 Not Found</body></html>".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> cutter.cut(file, FocalPoint.CENTRE, null, SPECS))
                .isInstanceOf(ImageException.class)
                .hasMessageContaining("not a JPEG, PNG or WebP image")
                .hasMessageContaining("looks like HTML/XML text");
        assertThat(codec.decodes.get()).isZero();
    }

    @Test
    void hugeDeclaredPngIsRefusedFromItsHeaderAlone() throws Exception {
        Path file = TestImages.write(dir, "huge.png", pngHeaderOnly(30_000, 30_000));
        ImageHeader h = ImageHeader.read(file);
        assertThat(h.width()).isEqualTo(30_000);
        assertThat(h.pixels()).isEqualTo(900_000_000L);
        assertThatThrownBy(() -> cutter.cut(file, FocalPoint.CENTRE, null, SPECS))
                .isInstanceOf(ImageException.class)
                .hasMessageContaining("30000x30000 = 900.0 megapixels, over the 268.4 megapixel limit")
                .hasMessageContaining("max_input_pixels")
                .hasMessageContaining("nothing was decoded");
        assertThat(codec.decodes.get()).isZero();
    }

    @Test
    void pixelGuardIsConfigurable() throws Exception {
        Path file = TestImages.write(dir, "q.png", TestImages.encode(TestImages.quadrants(400, 300), ".png"));
        VariantCutter strict = new VariantCutter(codec, 100_000);
        assertThatThrownBy(() -> strict.cut(file, FocalPoint.CENTRE, null, SPECS))
                .hasMessageContaining("over the 0.1 megapixel limit");
        assertThat(new VariantCutter(codec, 120_000).cut(file, FocalPoint.CENTRE, null, SPECS).variants()).hasSize(3);
    }

    @Test
    void corruptPngAndWebpFailCleanly() throws Exception {
        byte[] png = TestImages.encode(TestImages.quadrants(300, 200), ".png");
        byte[] webp = TestImages.encode(TestImages.quadrants(300, 200), ".webp");
        Path p = TestImages.write(dir, "cut.png", Arrays.copyOf(png, png.length / 2));
        Path w = TestImages.write(dir, "cut.webp", Arrays.copyOf(webp, webp.length / 2));
        for (Path file : List.of(p, w)) {
            assertThatThrownBy(() -> cutter.cut(file, FocalPoint.CENTRE, null, SPECS))
                    .as(file.toString()).isInstanceOf(ImageException.class).hasMessageContaining("cannot decode");
        }
    }
}
