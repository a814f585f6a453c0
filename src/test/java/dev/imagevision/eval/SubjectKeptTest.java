package dev.imagevision.eval;

import dev.imagevision.crop.CropWindow;
import dev.imagevision.vision.SubjectBox;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SubjectKeptTest {

    @Test
    void windowCoveringNinetyPercentOfTheBoxKeepsIt() {
        // 1000 × 1000 image, box 100..300 × 100..300 (area 40,000)
        SubjectBox box = new SubjectBox(0.1, 0.1, 0.2, 0.2);
        // window starting at x = 120 covers 180 × 200 = 36,000 = exactly 90%
        assertThat(SubjectKept.keeps(new CropWindow(120, 0, 500, 1000, 500, 1000), 1000, 1000, box)).isTrue();
        // one more pixel off and it is 89.5%
        assertThat(SubjectKept.keeps(new CropWindow(121, 0, 500, 1000, 500, 1000), 1000, 1000, box)).isFalse();
    }

    @Test
    void windowMissingTheBoxKeepsNothing() {
        SubjectBox box = new SubjectBox(0.8, 0.8, 0.1, 0.1);
        assertThat(SubjectKept.keeps(new CropWindow(0, 0, 500, 500, 500, 500), 1000, 1000, box)).isFalse();
    }

    @Test
    void wideBoxIsNotAchievableInASquareCropOfALandscapeImage() {
        // 1600 × 900: the largest 1:1 window is 900 wide; a box 1200 wide can keep at most 75%
        SubjectBox wide = new SubjectBox(0.1, 0.2, 0.75, 0.5);
        assertThat(SubjectKept.achievable(1600, 900, wide, 1, 1)).isFalse();
        // the same box is achievable at 16:9, where the window is the whole image
        assertThat(SubjectKept.achievable(1600, 900, wide, 16, 9)).isTrue();
    }

    @Test
    void boxSlightlyLongerThanTheWindowIsStillAchievable() {
        // 1000 × 1000, 16:9 window is 1000 × 563; a box 600 tall keeps 563/600 = 93.8%
        SubjectBox tall = new SubjectBox(0.4, 0.2, 0.1, 0.6);
        assertThat(SubjectKept.achievable(1000, 1000, tall, 16, 9)).isTrue();
        // 640 tall keeps 88%: not achievable
        assertThat(SubjectKept.achievable(1000, 1000, new SubjectBox(0.4, 0.2, 0.1, 0.64), 16, 9)).isFalse();
    }

    @Test
    void centreCropIsTheLargestCentredWindow() {
        CropWindow c = SubjectKept.centre(1600, 900, 1, 1);
        assertThat(c.width()).isEqualTo(900);
        assertThat(c.height()).isEqualTo(900);
        assertThat(c.x()).isEqualTo(350);
        assertThat(c.y()).isZero();
    }

    @Property
    void theWholeImageKeepsAnyBox(@ForAll @DoubleRange(min = 0, max = 0.9) double x, @ForAll @DoubleRange(min = 0, max = 0.9) double y,
                                  @ForAll @DoubleRange(min = 0.01, max = 0.1) double w, @ForAll @DoubleRange(min = 0.01, max = 0.1) double h,
                                  @ForAll @IntRange(min = 10, max = 5000) int width, @ForAll @IntRange(min = 10, max = 5000) int height) {
        SubjectBox box = new SubjectBox(x, y, w, h);
        assertThat(SubjectKept.keeps(new CropWindow(0, 0, width, height, width, height), width, height, box)).isTrue();
    }

    @Property
    void anAchievableBoxIsKeptByTheBestPlacedWindow(@ForAll @DoubleRange(min = 0, max = 0.5) double x,
                                                    @ForAll @DoubleRange(min = 0, max = 0.5) double y,
                                                    @ForAll @DoubleRange(min = 0.05, max = 0.5) double w,
                                                    @ForAll @DoubleRange(min = 0.05, max = 0.5) double h,
                                                    @ForAll @IntRange(min = 100, max = 4000) int width,
                                                    @ForAll @IntRange(min = 100, max = 4000) int height) {
        SubjectBox box = new SubjectBox(x, y, w, h);
        for (int[] ratio : new int[][] {{1, 1}, {4, 3}, {16, 9}}) {
            CropWindow largest = SubjectKept.centre(width, height, ratio[0], ratio[1]);
            // place the window's centre on the box's centre, pushed inside the image
            int wx = (int) Math.round(Math.max(0, Math.min(width - largest.width(), (x + w / 2) * width - largest.width() / 2.0)));
            int wy = (int) Math.round(Math.max(0, Math.min(height - largest.height(), (y + h / 2) * height - largest.height() / 2.0)));
            CropWindow placed = new CropWindow(wx, wy, largest.width(), largest.height(), largest.width(), largest.height());
            if (SubjectKept.keeps(placed, width, height, box)) {
                assertThat(SubjectKept.achievable(width, height, box, ratio[0], ratio[1])).isTrue();
            }
        }
    }
}
