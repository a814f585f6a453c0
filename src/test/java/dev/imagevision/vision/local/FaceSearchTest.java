package dev.imagevision.vision.local;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FaceSearchTest {

    @Property
    void tilesCoverEveryPixelAndStayInside(@ForAll @IntRange(min = 64, max = 512) int w, @ForAll @IntRange(min = 64, max = 512) int h,
                                           @ForAll @IntRange(min = 40, max = 100) int percent) {
        int side = Math.max(16, Math.min(w, h) * percent / 100);
        List<int[]> tiles = FaceSearch.tiles(w, h, side);
        boolean[] covered = new boolean[w * h];
        for (int[] t : tiles) {
            assertThat(t[0]).isBetween(0, Math.max(0, w - side));
            assertThat(t[1]).isBetween(0, Math.max(0, h - side));
            for (int y = t[1]; y < Math.min(h, t[1] + side); y++) {
                for (int x = t[0]; x < Math.min(w, t[0] + side); x++) covered[y * w + x] = true;
            }
        }
        for (boolean c : covered) assertThat(c).isTrue();
    }

    @Test
    void litSurroundIsTheShareOfLitPixelsAroundTheBox() {
        int w = 100, h = 100;
        int[] luma = new int[w * h]; // all black
        Evidence.Box box = new Evidence.Box(0.4, 0.4, 0.2, 0.2);
        assertThat(FaceSearch.litSurround(luma, w, h, box)).isZero();
        java.util.Arrays.fill(luma, 200);
        assertThat(FaceSearch.litSurround(luma, w, h, box)).isEqualTo(1.0);
    }

    @Test
    void aUniformTileIsFeaturelessAndATexturedOneIsNot() {
        int w = 100;
        int[] flat = new int[w * w];
        java.util.Arrays.fill(flat, 90);
        assertThat(FaceSearch.featureless(flat, w, 0, 0, 100)).isTrue();
        int[] textured = new int[w * w];
        for (int i = 0; i < textured.length; i++) textured[i] = (i % 7) * 30;
        assertThat(FaceSearch.featureless(textured, w, 0, 0, 100)).isFalse();
    }
}
