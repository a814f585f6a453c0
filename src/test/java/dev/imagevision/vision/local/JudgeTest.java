package dev.imagevision.vision.local;

import dev.imagevision.vision.Category;
import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.Judgement;
import dev.imagevision.vision.SubjectBox;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JudgeTest {

    @Test
    void aFaceSureAtBothLooksMakesPeopleAndWinsTheFocalPoint() {
        EvidenceBuilder b = new EvidenceBuilder().face(0.2, 0.1, 0.1, 0.95, 0.9, 0.9);
        b.torso = new int[] {240, 240, 235};
        Judgement j = Judge.judgement(b.build());
        assertThat(j.category()).isEqualTo(Category.PEOPLE);
        assertThat(j.focalPoint().x()).isCloseTo(0.25, org.assertj.core.api.Assertions.within(0.001));
        assertThat(j.subject()).isEqualTo("A person in white, face at upper left.");
        assertThat(j.subjectBox().contains(j.focalPoint())).isTrue();
        assertThat(j.subjectMatch()).isTrue();
    }

    /** A category model that says {@code c} whatever it is shown: fitted on images all labelled {@code c}. */
    static CategoryModel modelSaying(Category c) {
        int n = Appearance.LENGTH + 6;
        double[] a = new double[n];
        double[] b = new double[n];
        java.util.Arrays.fill(b, 0.01);
        return CategoryModel.fit(java.util.List.of(a, b), java.util.List.of(c, c), CategoryModel.PENALTY);
    }

    static Judgement judged(EvidenceBuilder b, Category modelSays) {
        return Judge.judgement(b.build(), PlacementTrust.SHIPPED, modelSaying(modelSays));
    }

    @Test
    void aRoundDiskInBlackSkyIsNotAFaceEvenWhenTheDetectorLikesIt() {
        // a planet: fairly sure at both looks, but its surroundings are black
        Evidence ev = new EvidenceBuilder().dark(0.7).face(0.3, 0.3, 0.35, 0.76, 0.74, 0.2).build();
        assertThat(Judge.confirmedFace(ev)).isNull();
        assertThat(Judge.category(ev, modelSaying(Category.ORBITAL))).isEqualTo(Category.ORBITAL);
    }

    @Test
    void aConfirmedFaceMakesPeopleWhateverTheModelSays() {
        EvidenceBuilder b = new EvidenceBuilder().face(0.2, 0.1, 0.1, 0.95, 0.9, 0.9);
        assertThat(judged(b, Category.LAUNCH).category()).isEqualTo(Category.PEOPLE);
    }

    @Test
    void withoutAFaceTheLearnedModelDecides() {
        for (Category c : Category.values()) {
            assertThat(judged(new EvidenceBuilder(), c).category()).isEqualTo(c);
        }
    }

    @Test
    void peopleTheModelSeesWithoutAConfirmedFaceGetASentenceToo() {
        // a suited crew behind visors: no face to name, so the sentence says what the model saw
        Judgement j = judged(new EvidenceBuilder(), Category.PEOPLE);
        assertThat(j.category()).isEqualTo(Category.PEOPLE);
        assertThat(j.subject()).startsWith("Looks like people");
    }

    @Test
    void theModelReadsTheAppearanceThenTheGraphicStatistics() {
        EvidenceBuilder b = new EvidenceBuilder();
        b.appearance = new double[Appearance.LENGTH];
        b.appearance[7] = 0.5;
        b.textFraction = 0.08;
        b.colourCount = 30;
        double[] f = Judge.categoryFeatures(b.build());
        assertThat(f).hasSize(Appearance.LENGTH + 6);
        assertThat(f[7]).isEqualTo(0.5);
        assertThat(f[Appearance.LENGTH]).isEqualTo(Math.log1p(0.08));
        assertThat(f[Appearance.LENGTH + 4]).isEqualTo(Math.log1p(30));
    }

    @Test
    void aFaceSureOnlyAtOneLookIsNotConfirmed() {
        Evidence ev = new EvidenceBuilder().face(0.4, 0.4, 0.1, 0.9, 0.0, 0.9).build();
        assertThat(Judge.confirmedFace(ev)).isNull();
    }

    @Test
    void aFaceFreeStarFieldIsDescribedAsOne() {
        EvidenceBuilder b = new EvidenceBuilder().dark(0.95);
        b.pointSources = 80;
        b.lines = new Measure.Lines(0.05);
        assertThat(judged(b, Category.ORBITAL).subject()).isEqualTo("Star field with many point sources.");
    }

    @Test
    void starsJoinedByStraightLinesAreDescribedAsAStarChart() {
        EvidenceBuilder b = new EvidenceBuilder().dark(0.8);
        b.pointSources = 60;
        b.lines = new Measure.Lines(0.9);
        assertThat(Judge.starChart(b.build())).isTrue();
        assertThat(judged(b, Category.DIAGRAM).subject()).startsWith("Star chart");
    }

    @Test
    void aFigureDrawnOverASparseStarBackdropIsAStarChartWhileASparseSkyWithFewLinesIsNot() {
        EvidenceBuilder figure = new EvidenceBuilder().dark(0.7);
        figure.pointSources = 14;
        figure.lines = new Measure.Lines(3.0);
        assertThat(Judge.starChart(figure.build())).isTrue();
        EvidenceBuilder sky = new EvidenceBuilder().dark(0.7);
        sky.pointSources = 14;
        sky.lines = new Measure.Lines(1.5); // a limb or a craft's edges, not a drawing
        assertThat(Judge.starChart(sky.build())).isFalse();
        EvidenceBuilder ringed = new EvidenceBuilder().dark(0.8);
        ringed.pointSources = 1; // a ringed planet: long straight edges, no star backdrop
        ringed.lines = new Measure.Lines(3.3);
        assertThat(Judge.starChart(ringed.build())).isFalse();
        EvidenceBuilder night = new EvidenceBuilder().dark(0.6);
        night.pointSources = 15;
        night.lines = new Measure.Lines(2.6);
        night.skyTop = 20; // smooth starry sky over textured, brighter ground
        night.groundContrast = 70;
        night.edgeDensity = 0.1;
        assertThat(Judge.starChart(night.build())).isFalse();
        assertThat(Judge.horizon(night.build())).isTrue();
    }

    @Test
    void oneWholeObjectOnAPlainLitBackdropGetsABoxAroundIt() {
        EvidenceBuilder b = new EvidenceBuilder();
        b.borderLuma = 200;
        b.borderSpread = 4;
        b.figure = new Evidence.Figure(4, 0.2, new Evidence.Box(0.3, 0.25, 0.4, 0.45));
        Judgement j = judged(b, Category.SPACECRAFT);
        assertThat(j.category()).isEqualTo(Category.SPACECRAFT);
        assertThat(j.subjectBox().x()).isLessThanOrEqualTo(0.3);
        assertThat(j.subjectBox().x() + j.subjectBox().w()).isGreaterThanOrEqualTo(0.7);
        assertThat(j.subject()).startsWith("Looks like a spacecraft");
    }

    @Test
    void aPlainBackdropIsNotACutObjectABlackSkyOrAFrameFillingScene() {
        EvidenceBuilder cut = new EvidenceBuilder();
        cut.borderLuma = 200;
        cut.figure = new Evidence.Figure(4, 0.2, new Evidence.Box(0.0, 0.25, 0.4, 0.45)); // runs off the left edge
        assertThat(Judge.plainBackdrop(cut.build())).isFalse();
        EvidenceBuilder space = new EvidenceBuilder().dark(0.8);
        space.figure = new Evidence.Figure(1, 0.2, new Evidence.Box(0.3, 0.25, 0.4, 0.45)); // a planet on black
        assertThat(Judge.plainBackdrop(space.build())).isFalse();
        EvidenceBuilder busy = new EvidenceBuilder();
        busy.borderLuma = 200;
        busy.figure = new Evidence.Figure(40, 0, null); // no plain border at all
        assertThat(Judge.plainBackdrop(busy.build())).isFalse();
    }

    @Test
    void aChartScoresLowAndIsDescribedAsOne() {
        EvidenceBuilder b = new EvidenceBuilder();
        b.whiteFraction = 0.7;
        b.flatFraction = 0.6;
        b.textFraction = 0.01;
        Judgement j = judged(b, Category.DIAGRAM);
        assertThat(j.score()).isLessThanOrEqualTo(4);
        assertThat(j.subject()).startsWith("Looks like a chart, map or figure");
    }

    @Test
    void muchTextMakesATextHeavyGraphic() {
        EvidenceBuilder b = new EvidenceBuilder();
        b.textFraction = 0.08;
        assertThat(judged(b, Category.DIAGRAM).subject()).startsWith("Text-heavy graphic");
    }

    @Test
    void aRainbowColourMapIsDescribedAsADataMap() {
        EvidenceBuilder b = new EvidenceBuilder();
        b.syntheticHue = 0.3;
        assertThat(judged(b, Category.DIAGRAM).subject()).startsWith("False-colour data map");
    }

    @Test
    void smoothSkyOverBrighterTexturedGroundIsAHorizon() {
        EvidenceBuilder b = new EvidenceBuilder();
        b.skyTop = 6;
        b.groundContrast = 60;
        b.edgeDensity = 0.15;
        assertThat(Judge.horizon(b.build())).isTrue();
        assertThat(judged(b, Category.SURFACE).subject()).startsWith("Ground under a smooth sky");
    }

    @Test
    void aCompactHotSpotLowInTheFrameIsAPlume() {
        EvidenceBuilder b = new EvidenceBuilder();
        b.hot = new Evidence.Hot(0.02, 0.5, 0.9, 0.04, 0.05);
        assertThat(Judge.plume(b.build())).isTrue();
        assertThat(judged(b, Category.LAUNCH).subject()).startsWith("Bright plume low in the frame");
    }

    @Test
    void aTallThinStreakOnADarkFrameIsAStreak() {
        EvidenceBuilder b = new EvidenceBuilder().dark(0.85);
        b.blob = new Measure.Blob(0.03, 0.48, 0.05, 0.04, 0.9, 0.5, false, new Evidence.Box(0.48, 0.05, 0.04, 0.9));
        assertThat(Judge.streak(b.build())).isTrue();
        assertThat(judged(b, Category.LAUNCH).subject()).startsWith("Bright vertical streak across a dark frame");
    }

    /** Hot pixels spread evenly from y0 to y1 in a band of the given width: centroid and spread as the stats compute them. */
    static Evidence.Hot line(double share, double x, double width, double y0, double y1) {
        return new Evidence.Hot(share, x, (y0 + y1) / 2, width / Math.sqrt(12), (y1 - y0) / Math.sqrt(12));
    }

    @Test
    void aThinBrightTrailRisingFromTheFootOfADuskSkyIsATrail() {
        EvidenceBuilder b = new EvidenceBuilder();
        b.hot = line(0.001, 0.7, 0.08, 0.4, 0.92);
        Evidence ev = b.build();
        assertThat(Judge.trail(ev)).isTrue();
        assertThat(Judge.sentence(ev, Category.LAUNCH)).startsWith("Bright trail rising from low in the frame");
    }

    @Test
    void aLongExposureTrailOnANightFrameIsATrail() {
        EvidenceBuilder b = new EvidenceBuilder().dark(0.85);
        b.hot = line(0.0015, 0.6, 0.05, 0.45, 0.98);
        assertThat(Judge.trail(b.build())).isTrue();
    }

    @Test
    void aTallBrightLineThatDoesNotReachTheFootOfTheFrameIsNoTrail() {
        // a crescent limb or a lit mast in the middle of the frame: tall and thin, but hanging in the air
        EvidenceBuilder night = new EvidenceBuilder().dark(0.85);
        night.hot = line(0.0015, 0.6, 0.05, 0.15, 0.65);
        assertThat(Judge.trail(night.build())).isFalse();
        EvidenceBuilder day = new EvidenceBuilder();
        day.hot = line(0.001, 0.7, 0.08, 0.1, 0.62);
        assertThat(Judge.trail(day.build())).isFalse();
    }

    @Test
    void aWideOrTinyHotAreaIsNoTrail() {
        EvidenceBuilder wide = new EvidenceBuilder();
        wide.hot = line(0.01, 0.5, 0.5, 0.4, 0.95); // a bright band across the frame: a lit floor, a sunlit cloud
        assertThat(Judge.trail(wide.build())).isFalse();
        EvidenceBuilder tiny = new EvidenceBuilder();
        tiny.hot = line(0.0002, 0.5, 0.02, 0.4, 0.95); // a few glints
        assertThat(Judge.trail(tiny.build())).isFalse();
    }

    @Test
    void aBlankFrameIsOtherWhateverTheModelSaysAndSaysSo() {
        EvidenceBuilder b = new EvidenceBuilder();
        b.meanLuma = 0;
        b.colourCount = 1;
        Judgement j = judged(b, Category.LAUNCH);
        assertThat(j.category()).isEqualTo(Category.OTHER);
        assertThat(j.subject()).isEqualTo("Blank or fully transparent frame.");
    }

    @Test
    void onADarkFrameTheBoxSpansTheBrightRegions() {
        EvidenceBuilder b = new EvidenceBuilder().dark(0.7);
        b.blob = new Measure.Blob(0.1, 0.6, 0.2, 0.3, 0.4, 0.78, false, new Evidence.Box(0.1, 0.2, 0.8, 0.5));
        SubjectBox box = Judge.box(b.build());
        assertThat(box.x()).isCloseTo(0.08, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(box.w()).isCloseTo(0.84, org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void aSpreadOutSubjectPullsTheFocalPointToTheCentre() {
        EvidenceBuilder b = new EvidenceBuilder();
        b.subject = new Evidence.Box(0, 0, 1, 1);
        b.focalX = 0.2;
        b.focalY = 0.8;
        assertThat(Judge.focal(b.build())).isEqualTo(FocalPoint.of(0.5, 0.5));
        b.subject = new Evidence.Box(0.1, 0.6, 0.2, 0.3);
        assertThat(Judge.focal(b.build())).isEqualTo(FocalPoint.of(0.2, 0.8));
    }

    @Test
    void scoreRewardsResolutionAndSharpnessWithinTheCategoryBand() {
        EvidenceBuilder good = new EvidenceBuilder();
        good.sharpness = 3000;
        EvidenceBuilder poor = new EvidenceBuilder();
        poor.sharpness = 5;
        poor.sourceWidth = 400;
        poor.sourceHeight = 300;
        poor.clippedHigh = 0.3;
        int g = Judge.score(good.build(), Category.ORBITAL);
        int p = Judge.score(poor.build(), Category.ORBITAL);
        assertThat(g).isGreaterThan(p).isLessThanOrEqualTo(9);
        assertThat(p).isGreaterThanOrEqualTo(4);
        assertThat(Judge.score(good.build(), Category.DIAGRAM)).isLessThanOrEqualTo(4);
    }

    @Test
    void textOverAPhotographCostsAPoint() {
        EvidenceBuilder clean = new EvidenceBuilder();
        EvidenceBuilder captioned = new EvidenceBuilder();
        captioned.textFraction = 0.01;
        assertThat(Judge.score(captioned.build(), Category.LAUNCH)).isEqualTo(Judge.score(clean.build(), Category.LAUNCH) - 1);
    }

    @Test
    void colourNamesArePlainAndMurkyColoursGoUnnamed() {
        assertThat(Judge.colourName(new int[] {250, 250, 250})).isEqualTo("white");
        assertThat(Judge.colourName(new int[] {20, 20, 25})).isEqualTo("black");
        assertThat(Judge.colourName(new int[] {230, 110, 30})).isEqualTo("orange");
        assertThat(Judge.colourName(new int[] {30, 60, 200})).isEqualTo("blue");
        assertThat(Judge.colourName(new int[] {120, 100, 90})).isNull();
        assertThat(Judge.colourName(null)).isNull();
    }

    @Test
    void whereNamesNineRegions() {
        assertThat(Judge.where(0.1, 0.1)).isEqualTo("upper left");
        assertThat(Judge.where(0.5, 0.5)).isEqualTo("centre");
        assertThat(Judge.where(0.9, 0.5)).isEqualTo("centre right");
        assertThat(Judge.where(0.5, 0.9)).isEqualTo("lower centre");
    }
}
