package dev.imagevision.vision.local;

import dev.imagevision.crop.CropSpec;
import dev.imagevision.crop.OpenCvCodec;
import dev.imagevision.crop.VariantCutter;
import dev.imagevision.site.SiteConfig;
import dev.imagevision.vision.ImageContext;
import dev.imagevision.vision.Judgement;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_GRAYSCALE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

/**
 * The sample site's Spirit panorama is a PNG whose sky is transparent. Transparency is not subject:
 * the box keeps to the ground, and what a window must include of the sky is flattened onto a colour
 * from the picture, never black.
 */
class TransparentSkyTest {
    static final Path PANORAMA = Path.of("sample-site/static/images/missions/spirit/01.png");

    @Test
    void noVariantOfTheSpiritPanoramaIsMoreThanATenthFlatBlack() throws Exception {
        LocalProvider provider = new LocalProvider(dev.imagevision.testing.Runs.CODEC, 100_000_000L);
        Judgement j = provider.judge(PANORAMA, ImageContext.bare("spirit/01.png")).judgement();
        List<CropSpec> specs = SiteConfig.defaults().variants();
        VariantCutter.Cut cut = new VariantCutter(new OpenCvCodec(), 100_000_000L).cut(PANORAMA, j.focalPoint(), j.subjectBox(), specs);
        assertThat(cut.variants()).hasSize(specs.size());
        for (VariantCutter.Variant v : cut.variants()) {
            assertThat(blackShare(v.jpeg())).as(v.spec().id() + " share of flat black pixels").isLessThanOrEqualTo(0.10);
        }
        assertThat(j.subjectBox().y()).as("the box leaves out the transparent sky at the top").isGreaterThan(0.1);
    }

    static double blackShare(byte[] jpeg) {
        try (Mat buf = new Mat(jpeg); Mat grey = imdecode(buf, IMREAD_GRAYSCALE)) {
            byte[] px = new byte[(int) grey.total()];
            ((ByteBuffer) grey.createBuffer()).get(px);
            int black = 0;
            for (byte b : px) if ((b & 0xFF) < 16) black++;
            return (double) black / px.length;
        }
    }
}
