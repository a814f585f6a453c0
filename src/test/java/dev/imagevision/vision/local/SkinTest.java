package dev.imagevision.vision.local;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SkinTest {
    @Test
    void complexionsFromPaleToDarkAreSkinAndSkyMetalAndBlackAreNot() {
        int[][] skin = {{255, 219, 172}, {224, 172, 105}, {198, 134, 66}, {141, 85, 36}, {90, 56, 37}, {233, 150, 122}};
        for (int[] c : skin) assertThat(Skin.skin(c[0], c[1], c[2])).as("%d,%d,%d", c[0], c[1], c[2]).isTrue();
        int[][] not = {{0, 0, 0}, {128, 128, 128}, {255, 255, 255}, {30, 60, 200}, {40, 160, 40}, {20, 20, 25}, {70, 110, 180}};
        for (int[] c : not) assertThat(Skin.skin(c[0], c[1], c[2])).as("%d,%d,%d", c[0], c[1], c[2]).isFalse();
    }

    static Measure.Pixels frame(int w, int h, int[] left, int[] right) {
        byte[] bgr = new byte[w * h * 3];
        int[] luma = new int[w * h];
        for (int i = 0; i < w * h; i++) {
            int[] c = i % w < w / 2 ? left : right;
            bgr[3 * i] = (byte) c[2];
            bgr[3 * i + 1] = (byte) c[1];
            bgr[3 * i + 2] = (byte) c[0];
        }
        return new Measure.Pixels(w, h, bgr, luma);
    }

    @Test
    void tileSharesComeFromTheSummedAreaTable() {
        Measure.Pixels p = frame(200, 100, new int[] {224, 172, 105}, new int[] {30, 60, 200});
        int[] sum = Skin.integral(p);
        assertThat(sum).isNotNull();
        assertThat(Skin.share(sum, 200, 0, 0, 100)).isEqualTo(1.0);
        assertThat(Skin.share(sum, 200, 100, 0, 100)).isEqualTo(0.0);
        assertThat(Skin.share(sum, 200, 50, 0, 100)).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void aColourlessFrameIsNotJudgedByHue() {
        assertThat(Skin.integral(frame(200, 100, new int[] {40, 40, 40}, new int[] {200, 200, 200}))).isNull();
    }
}
