package dev.imagevision.vision.local;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The figure on a plain backdrop, measured on pixel arrays built here. */
class FigureTest {
    /** A w × h frame of one grey, with a dark-blue rectangle; border noise of the given amplitude (fixed seed). */
    static Measure.Pixels frame(int w, int h, int grey, int noise, int x0, int y0, int x1, int y1) {
        byte[] bgr = new byte[w * h * 3];
        Random r = new Random(5);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                boolean in = x >= x0 && x < x1 && y >= y0 && y < y1;
                int v = in ? 0 : Math.max(0, Math.min(255, grey + (noise == 0 ? 0 : r.nextInt(2 * noise + 1) - noise)));
                bgr[3 * i] = (byte) (in ? 120 : v);
                bgr[3 * i + 1] = (byte) (in ? 40 : v);
                bgr[3 * i + 2] = (byte) (in ? 20 : v);
            }
        }
        return new Measure.Pixels(w, h, bgr, new int[w * h]);
    }

    @Test
    void anObjectInTheMiddleOfAPlainBackdropIsAWholeFigure() {
        Evidence.Figure f = Evidence.figure(frame(400, 300, 200, 0, 150, 100, 250, 220));
        assertThat(f.borderSpread()).isLessThan(1);
        assertThat(f.share()).isCloseTo(100 * 120 / 120_000.0, within(1e-9));
        assertThat(f.whole()).isTrue();
        assertThat(f.box().x()).isCloseTo(150 / 400.0, within(0.02));
        assertThat(f.box().x() + f.box().w()).isCloseTo(250 / 400.0, within(0.02));
    }

    @Test
    void anObjectCutByTheFrameIsNotWhole() {
        Evidence.Figure f = Evidence.figure(frame(400, 300, 200, 0, 0, 100, 120, 220));
        assertThat(f.whole()).isFalse();
    }

    @Test
    void aBusyBorderHasNoFigure() {
        Evidence.Figure f = Evidence.figure(frame(400, 300, 128, 60, 150, 100, 250, 220));
        assertThat(f.borderSpread()).isGreaterThan(Evidence.PLAIN_BORDER);
        assertThat(f.box()).isNull();
        assertThat(f.whole()).isFalse();
    }
}
