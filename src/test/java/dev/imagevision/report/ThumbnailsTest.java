package dev.imagevision.report;

import dev.imagevision.cache.Hashing;
import dev.imagevision.crop.ImageCodec;
import dev.imagevision.crop.ImageException;
import dev.imagevision.crop.ImageFormat;
import dev.imagevision.crop.ImageHeader;
import dev.imagevision.crop.OpenCvCodec;
import dev.imagevision.crop.Raster;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ThumbnailsTest {
    @TempDir
    Path cache;

    /** The real codec, counting decodes. */
    static final class Counting implements ImageCodec {
        final OpenCvCodec real = new OpenCvCodec();
        final AtomicInteger decodes = new AtomicInteger();
        int lastReduction;

        @Override
        public Raster decode(Path file, ImageHeader header, int reduction) throws ImageException {
            decodes.incrementAndGet();
            lastReduction = reduction;
            return real.decode(file, header, reduction);
        }

        @Override
        public byte[] cutScaleEncode(Raster raster, int x, int y, int w, int h, int outW, int outH, int quality)
                throws ImageException {
            return real.cutScaleEncode(raster, x, y, w, h, outW, outH, quality);
        }

        @Override
        public String libraryMajorVersion() {
            return real.libraryMajorVersion();
        }
    }

    static Path sample(String rel) {
        return FixtureSite.sample().resolve("static/images").resolve(rel);
    }

    @Test
    void aLargeJpegBecomesA192PixelThumbnailDecodedAtReducedScale_andIsCached() throws Exception {
        Counting codec = new Counting();
        Thumbnails t = new Thumbnails(cache, () -> codec, codec.libraryMajorVersion(), Long.MAX_VALUE);
        Path src = sample("missions/artemis3/01.jpg"); // 3000 x 1600
        String sha = Hashing.file(src);
        AuditData.Thumbnail first = t.get(src, sha);
        assertThat(first.width()).isEqualTo(192);
        assertThat(first.height()).isEqualTo(102);
        assertThat(codec.lastReduction).isEqualTo(8);
        ImageHeader h = ImageHeader.read(t.fileFor(t.key(sha)));
        assertThat(h.format()).isEqualTo(ImageFormat.JPEG);
        assertThat(h.width()).isEqualTo(192);
        assertThat(first.jpeg().length).isLessThan(30_000);

        AuditData.Thumbnail again = t.get(src, sha);
        assertThat(codec.decodes.get()).isEqualTo(1);
        assertThat(again.jpeg()).isEqualTo(first.jpeg());
        assertThat(again.height()).isEqualTo(102);
    }

    @Test
    void aPngWithTransparencyIsFlattenedAndScaled() throws Exception {
        Counting codec = new Counting();
        Thumbnails t = new Thumbnails(cache, () -> codec, codec.libraryMajorVersion(), Long.MAX_VALUE);
        Path src = sample("crew-portraits/eileen-collins/01.png"); // 512 x 512 PNG
        AuditData.Thumbnail th = t.get(src, Hashing.file(src));
        assertThat(th.width()).isEqualTo(192);
        assertThat(th.height()).isEqualTo(192);
        assertThat(codec.lastReduction).isEqualTo(1);
        assertThat(Thumbnails.completeJpeg(th.jpeg())).isTrue();
    }

    @Test
    void aDamagedCacheFileIsMadeAgain_andTheCacheKeyFollowsTheContent() throws Exception {
        Counting codec = new Counting();
        Thumbnails t = new Thumbnails(cache, () -> codec, codec.libraryMajorVersion(), Long.MAX_VALUE);
        Path src = sample("fleet-galleries/rs-25/01.jpg");
        String sha = Hashing.file(src);
        t.get(src, sha);
        Files.write(t.fileFor(t.key(sha)), new byte[] {(byte) 0xFF, (byte) 0xD8, 0, 0, 0});
        AuditData.Thumbnail th = t.get(src, sha);
        assertThat(codec.decodes.get()).isEqualTo(2);
        assertThat(Thumbnails.completeJpeg(Files.readAllBytes(t.fileFor(t.key(sha))))).isTrue();
        assertThat(th.width()).isEqualTo(192);
        assertThat(t.key(sha)).isNotEqualTo(t.key(Hashing.bytes(new byte[] {1})));
        assertThat(new Thumbnails(cache, () -> codec, "opencv-5", 1).key(sha)).isNotEqualTo(t.key(sha));
    }

    @Test
    void thePixelGuardRefusesBeforeDecoding() {
        Counting codec = new Counting();
        Thumbnails t = new Thumbnails(cache, () -> codec, codec.libraryMajorVersion(), 1_000_000);
        Path src = sample("missions/artemis3/01.jpg");
        assertThatThrownBy(() -> t.get(src, Hashing.file(src))).isInstanceOf(ImageException.class)
                .hasMessageContaining("megapixel limit");
        assertThat(codec.decodes.get()).isZero();
    }

    @Test
    void aWarmCacheNeverMakesTheCodec() throws Exception {
        Counting codec = new Counting();
        Path src = sample("fleet-galleries/rs-25/01.jpg");
        String sha = Hashing.file(src);
        new Thumbnails(cache, () -> codec, codec.libraryMajorVersion(), Long.MAX_VALUE).get(src, sha);
        Thumbnails warm = new Thumbnails(cache, () -> {
            throw new AssertionError("the codec was made for a cached thumbnail");
        }, codec.libraryMajorVersion(), Long.MAX_VALUE);
        assertThat(warm.get(src, sha).width()).isEqualTo(192);
    }

    @Property
    void sizeKeepsTheAspectAndNeverUpscales(@ForAll @IntRange(min = 1, max = 20000) int w,
                                            @ForAll @IntRange(min = 1, max = 20000) int h) {
        int[] s = Thumbnails.size(w, h);
        assertThat(Math.max(s[0], s[1])).isEqualTo(Math.min(Thumbnails.EDGE, Math.max(w, h)));
        assertThat(s[0]).isBetween(1, w);
        assertThat(s[1]).isBetween(1, h);
        if (Math.max(w, h) > Thumbnails.EDGE && Math.min(s[0], s[1]) > 1) {
            double want = (double) w / h;
            double got = (double) s[0] / s[1];
            // rounding the short side moves it by at most half a pixel
            assertThat(Math.abs(got - want) / Math.min(got, want)).isLessThanOrEqualTo(0.5 / (Math.min(s[0], s[1]) - 0.5) + 1e-9);
        }
    }

    @Property
    void theReductionStillDecodesAtLeastTheThumbnail(@ForAll @IntRange(min = 1, max = 30000) int w,
                                                     @ForAll @IntRange(min = 1, max = 30000) int h) {
        ImageHeader jpeg = new ImageHeader(ImageFormat.JPEG, w, h, 1, false, false, false, false);
        int r = Thumbnails.reduction(jpeg, w, h);
        assertThat(r).isIn(1, 2, 4, 8);
        if (r > 1) assertThat(Math.max(w, h) / r).isGreaterThanOrEqualTo(Thumbnails.EDGE);
        if (r < 8) assertThat(Math.max(w, h) / (r * 2)).isLessThan(Thumbnails.EDGE);
        assertThat(Thumbnails.reduction(new ImageHeader(ImageFormat.PNG, w, h, 1, false, false, false, false), w, h)).isEqualTo(1);
    }
}
