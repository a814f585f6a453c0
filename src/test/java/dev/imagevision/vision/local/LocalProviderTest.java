package dev.imagevision.vision.local;

import dev.imagevision.vision.Category;
import dev.imagevision.vision.ImageContext;
import dev.imagevision.vision.Judgement;
import dev.imagevision.vision.ProviderException;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;
import static org.bytedeco.opencv.global.opencv_imgproc.circle;
import static org.bytedeco.opencv.global.opencv_imgproc.line;
import static org.bytedeco.opencv.global.opencv_imgproc.putText;

/** The provider end to end on images drawn here, so each one shows exactly one thing. */
class LocalProviderTest {
    @TempDir
    static Path dir;
    static LocalProvider provider;

    @BeforeAll
    static void load() {
        provider = new LocalProvider(dev.imagevision.testing.Runs.CODEC, 100_000_000L);
    }

    static Judgement judge(Path p) throws ProviderException {
        return provider.judge(p, ImageContext.bare(p.getFileName().toString())).judgement();
    }

    /** Black sky with a few hundred point stars of random brightness (fixed seed). */
    static Path starField() {
        Path p = dir.resolve("stars.png");
        try (Mat m = new Mat(600, 900, CV_8UC3, new Scalar(0, 0, 0, 0))) {
            Random r = new Random(42);
            for (int i = 0; i < 400; i++) {
                int v = 90 + r.nextInt(165);
                try (Point c = new Point(5 + r.nextInt(890), 5 + r.nextInt(590)); Scalar s = new Scalar(v, v, v, 0)) {
                    circle(m, c, r.nextInt(4) == 0 ? 2 : 1, s, -1, LINE_AA, 0);
                }
            }
            imwrite(p.toString(), m);
        }
        return p;
    }

    @Test
    void aFaceFreeStarFieldIsOrbital() throws Exception {
        Judgement j = judge(starField());
        assertThat(j.category()).isEqualTo(Category.ORBITAL);
        assertThat(j.subject()).isEqualTo("Star field with many point sources.");
        assertThat(j.subjectMatch()).isTrue();
    }

    @Test
    void aWhiteChartWithTextIsAGraphicThatIsNeverPicked() throws Exception {
        Path p = dir.resolve("chart.png");
        try (Mat m = new Mat(600, 800, CV_8UC3, new Scalar(255, 255, 255, 0)); Scalar black = new Scalar(0, 0, 0, 0);
             Scalar blue = new Scalar(200, 80, 20, 0)) {
            line(m, new Point(80, 520), new Point(760, 520), black, 3, LINE_AA, 0);
            line(m, new Point(80, 520), new Point(80, 60), black, 3, LINE_AA, 0);
            int px = 80, py = 500;
            Random r = new Random(7);
            for (int x = 120; x <= 740; x += 40) {
                int y = 480 - (x - 80) / 2 + r.nextInt(40);
                line(m, new Point(px, py), new Point(x, y), blue, 3, LINE_AA, 0);
                px = x;
                py = y;
            }
            putText(m, "Flux versus distance", new Point(200, 45), FONT_HERSHEY_SIMPLEX, 1.2, black, 2, LINE_AA, false);
            putText(m, "distance (AU)", new Point(330, 580), FONT_HERSHEY_SIMPLEX, 1.0, black, 2, LINE_AA, false);
            imwrite(p.toString(), m);
        }
        Judgement j = judge(p);
        // the learned model tells a made graphic from a photograph; diagram against other (a slide, a title
        // card) it gets right less often, and both score too low to be picked
        assertThat(j.category()).isIn(Category.DIAGRAM, Category.OTHER);
        assertThat(j.score()).isLessThanOrEqualTo(4);
    }

    @Test
    void aPlanetOffCentreOnBlackIsOrbitalAndTheBoxHoldsIt() throws Exception {
        Path p = dir.resolve("planet.png");
        try (Mat m = new Mat(720, 1280, CV_8UC3, new Scalar(0, 0, 0, 0));
             Point c = new Point(1000, 300); Scalar ochre = new Scalar(60, 140, 200, 0)) {
            circle(m, c, 180, ochre, -1, LINE_AA, 0);
            imwrite(p.toString(), m);
        }
        Judgement shipped = judge(p);
        // the fitted trust for a dark frame's group centres the crop on it but does not publish its box
        assertThat(shipped.subjectBox()).isEqualTo(dev.imagevision.vision.SubjectBox.of(0, 0, 1, 1));
        assertThat(shipped.focalPoint().x()).isBetween(0.64, 0.92);
        PlacementTrust.Trust box = PlacementTrust.Trust.BOX;
        Judgement j = LocalProvider.judgement(provider.analyse(p),
                new LocalProvider.Fitted(new PlacementTrust(box, box, box, box), CategoryModel.shipped()));
        assertThat(j.category()).isEqualTo(Category.ORBITAL);
        // disk spans x 820..1180 (0.64..0.92), y 120..480 (0.17..0.67)
        assertThat(j.subjectBox().x()).isLessThanOrEqualTo(0.64);
        assertThat(j.subjectBox().x() + j.subjectBox().w()).isGreaterThanOrEqualTo(0.92);
        assertThat(j.subjectBox().y()).isLessThanOrEqualTo(0.17);
        assertThat(j.subjectBox().y() + j.subjectBox().h()).isGreaterThanOrEqualTo(0.66);
        assertThat(j.subjectBox().w()).isLessThan(0.4);
        assertThat(j.focalPoint().x()).isBetween(0.64, 0.92);
        assertThat(j.subject()).isEqualTo("Round body on a dark background, at centre right.");
    }

    @Test
    void theSameImageGetsTheSameAnswer() throws Exception {
        Path p = starField();
        LocalProvider other = new LocalProvider(dev.imagevision.testing.Runs.CODEC, 100_000_000L);
        assertThat(other.judge(p, ImageContext.bare("a")).judgement()).isEqualTo(judge(p));
    }

    @Test
    void anImageOverThePixelLimitIsRefusedWithoutDecoding() {
        LocalProvider tight = new LocalProvider(dev.imagevision.testing.Runs.CODEC, 1000);
        assertThatThrownBy(() -> tight.judge(starField(), ImageContext.bare("x")))
                .isInstanceOf(ProviderException.class).hasMessageContaining("megapixel limit");
    }

    @Test
    void aFileThatIsNoImageFailsThatImageOnly() throws Exception {
        Path p = java.nio.file.Files.writeString(dir.resolve("not-an-image.jpg"), "hello");
        assertThatThrownBy(() -> judge(p)).isInstanceOf(ProviderException.class)
                .satisfies(e -> assertThat(((ProviderException) e).fatal()).isFalse());
    }

    @Test
    void theBundledPortraitIsPeopleWithTheFocalPointOnTheFace() throws Exception {
        // sample site: official NASA portrait of Eileen Collins (public domain); face at about (0.44, 0.24)
        Judgement j = judge(Path.of("sample-site/static/images/crew-portraits/eileen-collins/01.png"));
        assertThat(j.category()).isEqualTo(Category.PEOPLE);
        assertThat(j.focalPoint().x()).isBetween(0.38, 0.50);
        assertThat(j.focalPoint().y()).isBetween(0.15, 0.32);
        assertThat(j.subject()).startsWith("A person");
    }

    @Test
    void theBundledFullMoonIsNotTakenForAFace() throws Exception {
        // sample site: LRO mosaic of the full Moon on black (NASA/GSFC, public domain)
        Judgement j = judge(Path.of("sample-site/static/images/missions/hubble/04.jpg"));
        assertThat(j.category()).isEqualTo(Category.ORBITAL);
    }
}
