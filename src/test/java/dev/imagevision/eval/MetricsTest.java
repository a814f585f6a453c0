package dev.imagevision.eval;

import dev.imagevision.crop.CropSpec;
import dev.imagevision.vision.Category;
import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.Judgement;
import dev.imagevision.vision.SubjectBox;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MetricsTest {
    static final List<CropSpec> SPECS = List.of(new CropSpec("1x1", 1, 1, 512, 80), new CropSpec("16x9", 16, 9, 1920, 80));

    static Label label(String path, Category c, double bx, double by, double bw, double bh, boolean whole) {
        return new Label(path, c, 5, new SubjectBox(bx, by, bw, bh), FocalPoint.of(bx + bw / 2, by + bh / 2), whole, true, "x");
    }

    static Judgement judged(Category c, double fx, double fy, SubjectBox box) {
        return new Judgement(5, "s", c, FocalPoint.of(fx, fy), box, true, null);
    }

    @Test
    void categoryAccuracyConfusionRecallAndPrecision() {
        List<Outcome> o = List.of(
                Outcome.judged(label("a", Category.PEOPLE, 0.4, 0.4, 0.2, 0.2, false), 100, 100, judged(Category.PEOPLE, 0.5, 0.5, null), 1),
                Outcome.judged(label("b", Category.PEOPLE, 0.4, 0.4, 0.2, 0.2, false), 100, 100, judged(Category.OTHER, 0.5, 0.5, null), 1),
                Outcome.judged(label("c", Category.DIAGRAM, 0.4, 0.4, 0.2, 0.2, false), 100, 100, judged(Category.PEOPLE, 0.5, 0.5, null), 1),
                Outcome.judged(label("d", Category.DIAGRAM, 0.4, 0.4, 0.2, 0.2, false), 100, 100, judged(Category.DIAGRAM, 0.5, 0.5, null), 1));
        EvalResult r = Metrics.evaluate(o, SPECS);
        assertThat(r.category().accuracy()).isEqualTo(0.5);
        assertThat(r.category().confusion().get("people").get("people")).isEqualTo(1);
        assertThat(r.category().confusion().get("people").get("other")).isEqualTo(1);
        assertThat(r.category().confusion().get("diagram").get("people")).isEqualTo(1);
        EvalResult.ClassStats people = r.category().perClass().get("people");
        assertThat(people.recall()).isEqualTo(0.5);
        assertThat(people.precision()).isEqualTo(0.5);
        assertThat(r.category().perClass().get("diagram").precision()).isEqualTo(1.0);
        assertThat(r.category().perClass().get("orbital").recall()).isNull(); // nothing labelled orbital
    }

    @Test
    void aFailedImageIsAWrongCategoryAndACentredCrop() {
        Label l = label("f", Category.ORBITAL, 0.0, 0.3, 0.2, 0.4, false);
        EvalResult r = Metrics.evaluate(List.of(Outcome.failed(l, 1600, 900, "boom", 1)), SPECS);
        assertThat(r.failed()).isEqualTo(1);
        assertThat(r.category().accuracy()).isEqualTo(0.0);
        assertThat(r.category().confusion().get("orbital").get(Metrics.NONE)).isEqualTo(1);
        // subject at the far left: a centred square crop of a 16:9 image loses it
        assertThat(r.subjectKept().get("1x1").achievable()).isEqualTo(1);
        assertThat(r.subjectKept().get("1x1").provider()).isEqualTo(0.0);
        assertThat(r.subjectKept().get("1x1").centre()).isEqualTo(0.0);
        assertThat(r.subjectKept().get("1x1").labelledFocal()).isEqualTo(1.0);
    }

    @Test
    void subjectKeptCountsOnlyAchievableImagesAndLeavesWholeScenesOut() {
        // off-centre subject the provider's box finds: kept where the centre crop loses it
        Label left = label("left", Category.ORBITAL, 0.02, 0.3, 0.2, 0.4, false);
        Outcome found = Outcome.judged(left, 1600, 900, judged(Category.ORBITAL, 0.12, 0.5, new SubjectBox(0.02, 0.3, 0.2, 0.4)), 1);
        // a box too wide for a square: not achievable at 1:1, counted at 16:9
        Label wide = label("wide", Category.ORBITAL, 0.05, 0.3, 0.9, 0.4, false);
        Outcome wideO = Outcome.judged(wide, 1600, 900, judged(Category.ORBITAL, 0.5, 0.5, null), 1);
        // whole scene: never counted
        Label scene = label("scene", Category.ORBITAL, 0.0, 0.0, 1.0, 1.0, true);
        Outcome sceneO = Outcome.judged(scene, 1600, 900, judged(Category.ORBITAL, 0.9, 0.9, null), 1);
        EvalResult r = Metrics.evaluate(List.of(found, wideO, sceneO), SPECS);
        assertThat(r.subjectKept().get("1x1").achievable()).isEqualTo(1);
        assertThat(r.subjectKept().get("1x1").provider()).isEqualTo(1.0);
        assertThat(r.subjectKept().get("1x1").centre()).isEqualTo(0.0);
        assertThat(r.subjectKept().get("16x9").achievable()).isEqualTo(2);
        assertThat(r.subjectKept().get("16x9").provider()).isEqualTo(1.0);
        assertThat(r.focalInBox().images()).isEqualTo(2);
        assertThat(r.focalInBox().provider()).isEqualTo(1.0);
        assertThat(r.focalInBox().centre()).isEqualTo(0.5);
        assertThat(r.perImage().get(2).kept()).isEmpty();
        assertThat(r.perImage().get(2).focalInBox()).isNull();
    }

    @Test
    void spearmanOfAMonotoneRelationIsOneAndTiesShareTheirRank() {
        assertThat(Metrics.spearman(new double[] {1, 2, 3, 4}, new double[] {10, 20, 30, 40})).isCloseTo(1.0, within(1e-12));
        assertThat(Metrics.spearman(new double[] {1, 2, 3, 4}, new double[] {4, 3, 2, 1})).isCloseTo(-1.0, within(1e-12));
        assertThat(Metrics.ranks(new double[] {5, 1, 5, 3})).containsExactly(3.5, 1, 3.5, 2);
        assertThat(Metrics.spearman(new double[] {1, 1, 1}, new double[] {1, 2, 3})).isNull();
    }

    @Test
    void timingReportsMeanMedianAndMax() {
        EvalResult.TimingStats t = Metrics.timing(new double[] {10, 30, 20, 100});
        assertThat(t.mean()).isEqualTo(40.0);
        assertThat(t.median()).isEqualTo(25.0);
        assertThat(t.max()).isEqualTo(100.0);
    }
}
