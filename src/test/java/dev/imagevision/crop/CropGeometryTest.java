package dev.imagevision.crop;

import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.SubjectBox;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The crop window's promises, checked on random images, ratios, focal points and subject boxes.
 * Where a property talks about "the best placement", the oracle tries every start position on the
 * axis by brute force, independently of how {@link CropGeometry} finds it.
 */
class CropGeometryTest {
    /** Floating-point slack, in pixels, for "contains the focal point". */
    private static final double EPS = 1e-9;

    /** One random input. The focal point lies inside the box when there is one (see the *FocalOutsideBox* property for the rest). */
    record Case(int width, int height, int ratioW, int ratioH, int maxEdge, FocalPoint focal, SubjectBox box) {
        CropWindow window() {
            return CropGeometry.window(width, height, focal, box, ratioW, ratioH, maxEdge);
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        return cases(true);
    }

    @Provide
    Arbitrary<Case> anyFocal() {
        return cases(false);
    }

    private Arbitrary<Case> cases(boolean focalInBox) {
        Arbitrary<Integer> side = Arbitraries.oneOf(Arbitraries.integers().between(1, 64),
                Arbitraries.integers().between(1, 6000));
        Arbitrary<int[]> ratio = Arbitraries.oneOf(
                Arbitraries.of(new int[] {1, 1}, new int[] {4, 3}, new int[] {16, 9}, new int[] {3, 4}, new int[] {9, 16},
                        new int[] {21, 9}, new int[] {1, 3}),
                Combinators.combine(Arbitraries.integers().between(1, 40), Arbitraries.integers().between(1, 40))
                        .as((a, b) -> new int[] {a, b}));
        Arbitrary<Integer> maxEdge = Arbitraries.integers().between(1, 4000);
        Arbitrary<double[]> boxAndFocal = Combinators.combine(unit(), unit(), unit(), unit(), unit(), unit())
                .as((a, b, c, d, e, f) -> {
                    double x0 = Math.min(a, b), x1 = Math.max(a, b), y0 = Math.min(c, d), y1 = Math.max(c, d);
                    double fx = focalInBox ? x0 + e * (x1 - x0) : e;
                    double fy = focalInBox ? y0 + f * (y1 - y0) : f;
                    return new double[] {x0, y0, x1 - x0, y1 - y0, fx, fy};
                });
        Arbitrary<Boolean> withBox = Arbitraries.of(true, true, true, false);
        return Combinators.combine(side, side, ratio, maxEdge, boxAndFocal, withBox).as((w, h, r, m, bf, hasBox) ->
                new Case(w, h, r[0], r[1], m, new FocalPoint(bf[4], bf[5]),
                        hasBox ? new SubjectBox(bf[0], bf[1], bf[2], bf[3]) : null));
    }

    /** Fractions with the edges (0, 1) and round values that land on pixel boundaries well represented. */
    private static Arbitrary<Double> unit() {
        return Arbitraries.oneOf(Arbitraries.doubles().between(0, 1),
                Arbitraries.integers().between(0, 20).map(i -> i / 20.0),
                Arbitraries.of(0.0, 1.0));
    }

    @Property(tries = 3000)
    void windowLiesInsideTheImage(@ForAll("anyFocal") Case c) {
        CropWindow w = c.window();
        assertThat(w.x()).isBetween(0, c.width() - 1);
        assertThat(w.y()).isBetween(0, c.height() - 1);
        assertThat(w.width()).isBetween(1, c.width() - w.x());
        assertThat(w.height()).isBetween(1, c.height() - w.y());
    }

    @Property(tries = 3000)
    void windowHasTheRatioToWithinOnePixel(@ForAll("anyFocal") Case c) {
        CropWindow w = c.window();
        assertThat(withinOnePixel(w.width(), w.height(), c.ratioW(), c.ratioH()))
                .as("%dx%d for ratio %d:%d", w.width(), w.height(), c.ratioW(), c.ratioH()).isTrue();
    }

    @Property(tries = 3000)
    void windowIsTheLargestOfItsRatio(@ForAll("anyFocal") Case c) {
        CropWindow w = c.window();
        // it spans the image on one axis, so no window of the ratio is larger
        assertThat(w.width() == c.width() || w.height() == c.height()).isTrue();
    }

    @Property(tries = 3000)
    void windowContainsTheFocalPoint(@ForAll("anyFocal") Case c) {
        CropWindow w = c.window();
        double fx = c.focal().x() * c.width();
        double fy = c.focal().y() * c.height();
        assertThat(fx).isBetween(w.x() - EPS, w.x() + w.width() + EPS);
        assertThat(fy).isBetween(w.y() - EPS, w.y() + w.height() + EPS);
    }

    @Property(tries = 5000)
    void boxIsKeptWholeWhenItFitsElseTheWindowStaysInsideItAsCentredAsAllowed(@ForAll("cases") Case c) {
        if (c.box() == null) return;
        CropWindow w = c.window();
        checkAxis(c.width(), w.width(), w.x(), c.focal().x(), c.box().x(), c.box().x() + c.box().w());
        checkAxis(c.height(), w.height(), w.y(), c.focal().y(), c.box().y(), c.box().y() + c.box().h());
    }

    /**
     * One axis against the brute-force oracle: which starts contain the focal point, which contain the
     * (pixel-widened) box or lie inside it, and which of those is nearest to centring the focal point.
     */
    private static void checkAxis(int size, int length, int start, double focal, double boxFrom, double boxTo) {
        int[] span = CropGeometry.pixelSpan(boxFrom, boxTo, size);
        int b0 = span[0], b1 = span[1];
        double fp = focal * size;
        boolean fits = b1 - b0 <= length;
        double idealStart = fp - length / 2.0;
        double best = Double.MAX_VALUE;
        for (int s = 0; s <= size - length; s++) {
            if (!(s <= fp + EPS && fp <= s + length + EPS)) continue;
            boolean ok = fits ? s <= b0 && s + length >= b1 : s >= b0 && s + length <= b1;
            if (ok) best = Math.min(best, Math.abs(s - idealStart));
        }
        assertThat(best).as("some placement keeps the focal point and the box").isLessThan(Double.MAX_VALUE);
        if (fits) {
            assertThat(start).as("window contains the box's first pixel").isLessThanOrEqualTo(b0);
            assertThat(start + length).as("window contains the box's last pixel").isGreaterThanOrEqualTo(b1);
        } else {
            // the window lies inside the box: it keeps `length` pixels of it, the most any window can
            assertThat(start).isGreaterThanOrEqualTo(b0);
            assertThat(start + length).isLessThanOrEqualTo(b1);
        }
        assertThat(Math.abs(start - idealStart)).as("as centred on the focal point as the box allows")
                .isLessThanOrEqualTo(best + 1e-9);
    }

    @Property(tries = 3000)
    void withoutABoxTheWindowIsCentredOnTheFocalPointAndPushedInside(@ForAll("anyFocal") Case c) {
        Case noBox = new Case(c.width(), c.height(), c.ratioW(), c.ratioH(), c.maxEdge(), c.focal(), null);
        CropWindow w = noBox.window();
        double idealX = c.focal().x() * c.width() - w.width() / 2.0;
        double idealY = c.focal().y() * c.height() - w.height() / 2.0;
        // the nearest whole pixel to the ideal start, once the ideal is pushed inside the image
        assertThat(Math.abs(w.x() - clamp(idealX, c.width() - w.width()))).isLessThanOrEqualTo(0.5 + 1e-6);
        assertThat(Math.abs(w.y() - clamp(idealY, c.height() - w.height()))).isLessThanOrEqualTo(0.5 + 1e-6);
    }

    private static double clamp(double idealStart, int max) {
        return Math.max(0, Math.min(max, idealStart));
    }

    /** Focal point outside the box: the focal point is kept always; the box too whenever both fit. */
    @Property(tries = 3000)
    void focalOutsideBoxKeepsTheFocalPointAndTheBoxWhenBothFit(@ForAll("anyFocal") Case c) {
        if (c.box() == null || c.box().contains(c.focal())) return;
        CropWindow w = c.window();
        keepsBoth(c.width(), w.width(), w.x(), c.focal().x(), c.box().x(), c.box().x() + c.box().w());
        keepsBoth(c.height(), w.height(), w.y(), c.focal().y(), c.box().y(), c.box().y() + c.box().h());
    }

    private static void keepsBoth(int size, int length, int start, double focal, double boxFrom, double boxTo) {
        int[] span = CropGeometry.pixelSpan(boxFrom, boxTo, size);
        double fp = focal * size;
        boolean both = false;
        for (int s = 0; s <= size - length && !both; s++) {
            both = s <= fp + EPS && fp <= s + length + EPS && s <= span[0] && s + length >= span[1];
        }
        if (both) {
            assertThat(start).isLessThanOrEqualTo(span[0]);
            assertThat(start + length).isGreaterThanOrEqualTo(span[1]);
        }
    }

    @Property(tries = 3000)
    void outputIsNeverLargerThanTheWindowNorTheMaxEdge(@ForAll("anyFocal") Case c) {
        CropWindow w = c.window();
        assertThat(w.outWidth()).isBetween(1, w.width());
        assertThat(w.outHeight()).isBetween(1, w.height());
        assertThat(Math.max(w.outWidth(), w.outHeight())).isEqualTo(Math.min(c.maxEdge(), Math.max(w.width(), w.height())));
        if (Math.max(w.width(), w.height()) <= c.maxEdge()) {
            assertThat(w.outWidth()).as("no resampling when the window is small enough").isEqualTo(w.width());
            assertThat(w.outHeight()).isEqualTo(w.height());
        } else {
            assertThat(withinOnePixel(w.outWidth(), w.outHeight(), c.ratioW(), c.ratioH()) || Math.min(w.outWidth(), w.outHeight()) == 1)
                    .as("output %dx%d has the ratio %d:%d", w.outWidth(), w.outHeight(), c.ratioW(), c.ratioH()).isTrue();
        }
    }

    /** True when either side is within one pixel of what the exact ratio makes of the other. */
    static boolean withinOnePixel(int w, int h, int ratioW, int ratioH) {
        return Math.abs(w - (double) h * ratioW / ratioH) <= 1 + 1e-9 || Math.abs(h - (double) w * ratioH / ratioW) <= 1 + 1e-9;
    }

    @Example
    void pixelSpanWidensOutwardsAndSnapsInexactFractions() {
        assertThat(CropGeometry.pixelSpan(0.1, 0.1 + 0.2, 1000)).containsExactly(100, 300);
        assertThat(CropGeometry.pixelSpan(0.1004, 0.2996, 1000)).containsExactly(100, 300);
        assertThat(CropGeometry.pixelSpan(0, 1, 7)).containsExactly(0, 7);
        assertThat(CropGeometry.pixelSpan(0.5, 0.5, 9)).containsExactly(4, 5);
    }

    @Example
    void knownCases() {
        // 4000x2000 panorama, 1:1 around a focal point near the right edge: pushed inside
        CropWindow w = CropGeometry.window(4000, 2000, new FocalPoint(0.95, 0.5), null, 1, 1, 512);
        assertThat(w).isEqualTo(new CropWindow(2000, 0, 2000, 2000, 512, 512));
        // a subject box at the left that fits: the window moves left to keep it whole
        w = CropGeometry.window(4000, 2000, new FocalPoint(0.3, 0.5), new SubjectBox(0.05, 0.2, 0.4, 0.5), 1, 1, 512);
        assertThat(w.x()).isEqualTo(200);
        // the same box longer than a 9:16 window: the window stays inside the box, centred on the focal point
        w = CropGeometry.window(4000, 2000, new FocalPoint(0.3, 0.5), new SubjectBox(0.05, 0.2, 0.4, 0.5), 9, 16, 1920);
        assertThat(w.width()).isEqualTo(1125);
        assertThat(w.x()).isEqualTo(638); // round(1200 - 1125 / 2)
        // 16:9 from 1001 wide: output follows the exact ratio, not the rounded window
        w = CropGeometry.window(1001, 1001, FocalPoint.CENTRE, null, 16, 9, 512);
        assertThat(w.width()).isEqualTo(1001);
        assertThat(w.height()).isEqualTo(563);
        assertThat(w.outWidth()).isEqualTo(512);
        assertThat(w.outHeight()).isEqualTo(288);
    }
}
