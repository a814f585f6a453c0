package dev.imagevision.crop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagevision.site.SiteConfig;
import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.SubjectBox;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** One decode per source, the right scale, and variants that keep what they must, on real and synthetic images. */
class VariantCutterTest {
    private static final List<CropSpec> DEFAULTS = SiteConfig.defaults().variants();

    @TempDir
    Path dir;

    @Test
    void defaultSpecsAreTheSpecs() {
        assertThat(DEFAULTS).containsExactly(new CropSpec("1x1", 1, 1, 512, 80), new CropSpec("4x3", 4, 3, 1200, 80),
                new CropSpec("16x9", 16, 9, 1920, 80));
    }

    @Test
    void everyVariantComesFromOneDecodeAtTheSmallestScaleThatServesTheLargest() throws Exception {
        HostileInputTest.CountingCodec codec = new HostileInputTest.CountingCodec();
        VariantCutter cutter = new VariantCutter(codec, 268_402_689L);
        // 4000x3000: the 16:9 window is 4000x2250 for a 1920x1080 output, so 1/2 (2000 wide) serves it and 1/4 would not
        Path big = TestImages.write(dir, "big.jpg", TestImages.jpeg(TestImages.quadrants(4000, 3000), 85));
        VariantCutter.Cut cut = cutter.cut(big, FocalPoint.CENTRE, null, DEFAULTS);
        assertThat(codec.decodes.get()).isEqualTo(1);
        assertThat(codec.reductions).containsExactly(2);
        assertThat(cut.variants()).extracting(v -> TestImages.decode(v.jpeg()).cols()).containsExactly(512, 1200, 1920);
        // only the 1:1 left to cut (the others cached): 1/2 of 3000 → 1500 ≥ 512 still, 1/4 → 750 ≥ 512, 1/8 → 375 < 512
        VariantCutter.Plan plan = cutter.plan(big, FocalPoint.CENTRE, null, DEFAULTS).only(List.of(DEFAULTS.get(0)));
        assertThat(plan.reduction()).isEqualTo(4);
        // PNG and WebP have no DCT to shrink in
        assertThat(VariantCutter.reductionFor(ImageFormat.PNG, plan.windows())).isEqualTo(1);
    }

    @Test
    void decodeBudgetEstimateFollowsTheDecodedLayout() {
        List<CropWindow> none = List.of();
        ImageHeader rgb = new ImageHeader(ImageFormat.PNG, 1000, 1000, 1, false, false, false, false);
        ImageHeader grey = new ImageHeader(ImageFormat.PNG, 1000, 1000, 1, false, false, false, true);
        ImageHeader alpha16 = new ImageHeader(ImageFormat.PNG, 1000, 1000, 1, true, true, false, false);
        ImageHeader jpeg = new ImageHeader(ImageFormat.JPEG, 1001, 1001, 6, false, false, false, false);
        assertThat(VariantCutter.decodedBytes(rgb, 1, none)).isEqualTo(3_000_000);
        assertThat(VariantCutter.decodedBytes(grey, 1, none)).isEqualTo(1_000_000);
        assertThat(VariantCutter.decodedBytes(alpha16, 1, none)).isEqualTo(22_000_000);
        assertThat(VariantCutter.decodedBytes(jpeg, 2, none)).isEqualTo(501L * 501 * 3);
    }

    /** A white box on black, every variant cut around it: the whole box is in every output. */
    @ParameterizedTest(name = "{0}x{1} box {2},{3} {4}x{5} focal {6},{7}")
    @CsvSource({
            "4000,1000, 3200,300, 300,300, 0.84,0.45",  // panorama, subject near the right edge
            "4000,1000, 200,100, 400,700, 0.10,0.50",   // panorama, tall subject at the left
            "1000,3000, 300,2500, 400,300, 0.50,0.88",  // tall launch shot, subject low
            "2000,2000, 100,100, 900,500, 0.30,0.30",   // square, wide subject top-left, focal off its centre
            "3000,2000, 2500,1500, 400,400, 0.95,0.95", // focal point in the corner of the box
            "4000,1000, 2000,100, 900,800, 0.52,0.50",  // focal point at the left end of a wide subject
            "1000,3000, 300,1000, 400,500, 0.50,0.35",  // focal point at the top of a tall subject
    })
    void everyVariantContainsTheWholeSubject(int w, int h, int bx, int by, int bw, int bh, double fx, double fy)
            throws Exception {
        Path file = TestImages.write(dir, "subject.png", TestImages.encode(TestImages.brightBoxOnBlack(w, h, bx, by, bw, bh), ".png"));
        SubjectBox box = new SubjectBox((double) bx / w, (double) by / h, (double) bw / w, (double) bh / h);
        VariantCutter.Cut cut = new VariantCutter(new OpenCvCodec(), 268_402_689L).cut(file, new FocalPoint(fx, fy), box, DEFAULTS);
        for (VariantCutter.Variant v : cut.variants()) {
            CropWindow win = v.window();
            Mat out = TestImages.decode(v.jpeg());
            assertThat(out.cols()).isEqualTo(win.outWidth());
            // light is conserved by an area downscale: the box's light, scaled by the output/window area ratio
            double expected = 255.0 * bw * bh * ((double) win.outWidth() / win.width()) * ((double) win.outHeight() / win.height());
            assertThat(TestImages.sum(out) / expected).as("%s keeps the subject (window %s)", v.spec().id(), win)
                    .isBetween(0.97, 1.03);
        }
    }

    @Test
    void goldenVariantsOfTheSampleSite() throws Exception {
        JsonNode golden = new ObjectMapper().readTree(TestImages.resource("sample-site-golden.json").toFile());
        assertThat(golden.size()).isEqualTo(29);
        VariantCutter cutter = new VariantCutter(new OpenCvCodec(), 268_402_689L);
        VariantCutter again = new VariantCutter(new OpenCvCodec(), 268_402_689L);
        List<String> checked = new ArrayList<>();
        for (JsonNode e : golden) {
            Path file = Path.of("sample-site/static" + e.get("path").asText());
            JsonNode fp = e.get("focal_point");
            JsonNode b = e.get("subject_box");
            FocalPoint focal = new FocalPoint(fp.get("x").asDouble(), fp.get("y").asDouble());
            SubjectBox box = new SubjectBox(b.get("x").asDouble(), b.get("y").asDouble(), b.get("w").asDouble(), b.get("h").asDouble());
            VariantCutter.Cut cut = cutter.cut(file, focal, box, DEFAULTS);
            VariantCutter.Cut second = again.cut(file, focal, box, DEFAULTS);
            assertThat(cut.sourceWidth()).isEqualTo(e.get("width").asInt());
            assertThat(cut.sourceHeight()).isEqualTo(e.get("height").asInt());
            for (int i = 0; i < DEFAULTS.size(); i++) {
                VariantCutter.Variant v = cut.variants().get(i);
                JsonNode g = e.get("variants").get(v.spec().id());
                String what = e.get("path").asText() + " " + v.spec().id();
                CropWindow w = v.window();
                assertThat(List.of(w.x(), w.y(), w.width(), w.height())).as(what + " window")
                        .containsExactly(g.get("window").get(0).asInt(), g.get("window").get(1).asInt(),
                                g.get("window").get(2).asInt(), g.get("window").get(3).asInt());
                Mat out = TestImages.decode(v.jpeg());
                assertThat(List.of(out.cols(), out.rows())).as(what + " output size")
                        .containsExactly(g.get("output").get(0).asInt(), g.get("output").get(1).asInt());
                // where the focal point lands in the output
                double fx = (focal.x() * cut.sourceWidth() - w.x()) / w.width() * out.cols();
                double fy = (focal.y() * cut.sourceHeight() - w.y()) / w.height() * out.rows();
                assertThat(fx).as(what + " focal x").isCloseTo(g.get("focal_in_output").get(0).asDouble(), org.assertj.core.data.Offset.offset(0.06));
                assertThat(fy).as(what + " focal y").isCloseTo(g.get("focal_in_output").get(1).asDouble(), org.assertj.core.data.Offset.offset(0.06));
                assertThat(fx).isBetween(0.0, (double) out.cols());
                assertThat(fy).isBetween(0.0, (double) out.rows());
                assertThat(v.jpeg()).as(what + " same bytes on a second run").isEqualTo(second.variants().get(i).jpeg());
                checked.add(what);
            }
        }
        assertThat(checked).hasSize(87);
    }
}
