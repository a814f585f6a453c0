package dev.imagevision.vision.local;

import java.util.Arrays;
import java.util.List;

/**
 * What the offline provider measured on one image (at analysis size): detector output (faces,
 * text), brightness and colour statistics, texture, point sources, the largest bright region,
 * straight lines, and a subject weight map reduced to a box and a centroid. Everything the
 * judgement uses is here, so the rules in {@link Judge} are plain arithmetic over a record.
 * {@code opaque} is the span of the opaque pixels when a clear share of the frame is transparent,
 * else null. {@code appearance} is the {@link Appearance} descriptor the category is learned from.
 */
record Evidence(int width, int height, int sourceWidth, int sourceHeight,
                List<Face> faces, double textFraction, Box textBox,
                double meanLuma, double darkFraction, double blackFraction, double clippedHigh, double clippedLow,
                double whiteFraction, double meanSaturation, double syntheticHue, double warmFraction,
                double flatFraction, double dominantShare, int colourCount,
                double sharpness, double edgeDensity, double verticality, double skyTop, double groundContrast,
                double pointSources, Measure.Blob blob, Measure.Lines lines, double borderSpread, double borderLuma, Hot hot,
                Figure figure,
                Box subject, double focalX, double focalY, int[] torsoRgb, Box opaque, double[] appearance) {

    /** A box as fractions of the image. */
    record Box(double x, double y, double w, double h) {
        double area() {
            return w * h;
        }

        double cx() {
            return x + w / 2;
        }

        double cy() {
            return y + h / 2;
        }
    }

    /**
     * A detected face as fractions of the image: first-look confidence, the zoomed second look's,
     * and the share of lit pixels around it.
     */
    record Face(Box box, double score, double secondLook, double litSurround) {}

    /**
     * What stands apart from a plain border: the border ring's colour spread (0–255, the largest of
     * the three channels' standard deviations) and, when the border is plain, the share of pixels
     * that differ clearly from its mean colour and the box between their 2% and 98% quantiles. A
     * craft photographed against a backdrop, or alone in black space, is a compact figure; a
     * landscape or a frame-filling planet is not.
     */
    record Figure(double borderSpread, double share, Box box) {
        static final Figure NONE = new Figure(255, 0, null);

        /** The figure's box keeps off every frame edge: the object is whole, not cut by the frame. */
        boolean whole() {
            return box != null && box.x() >= EDGE && box.y() >= EDGE && box.x() + box.w() <= 1 - EDGE && box.y() + box.h() <= 1 - EDGE;
        }

        static final double EDGE = 0.02;
    }

    /** Border colour spread above which there is no plain background to stand out from. */
    static final double PLAIN_BORDER = 12;
    /** Colour distance (sum over R, G, B) from the border's colour that makes a pixel part of the figure. */
    static final int FIGURE_DISTANCE = 60;

    static Figure figure(Measure.Pixels p) {
        int w = p.width(), h = p.height();
        int ring = Math.max(1, Math.min(w, h) / 32);
        double[] sum = new double[3], sq = new double[3];
        int n = 0;
        for (int y = 0; y < h; y++) {
            boolean edgeRow = y < ring || y >= h - ring;
            for (int x = 0; x < w; x = edgeRow || x + 1 < ring || x >= w - ring ? x + 1 : w - ring) {
                int i = y * w + x;
                int[] c = {p.r(i), p.g(i), p.b(i)};
                for (int k = 0; k < 3; k++) {
                    sum[k] += c[k];
                    sq[k] += (double) c[k] * c[k];
                }
                n++;
            }
        }
        double spread = 0;
        double[] mean = new double[3];
        for (int k = 0; k < 3; k++) {
            mean[k] = sum[k] / n;
            spread = Math.max(spread, Math.sqrt(Math.max(0, sq[k] / n - mean[k] * mean[k])));
        }
        if (spread > PLAIN_BORDER) return new Figure(spread, 0, null);
        double[] weight = new double[w * h];
        int count = 0;
        for (int i = 0; i < w * h; i++) {
            double d = Math.abs(p.r(i) - mean[0]) + Math.abs(p.g(i) - mean[1]) + Math.abs(p.b(i) - mean[2]);
            if (d > FIGURE_DISTANCE) {
                weight[i] = 1;
                count++;
            }
        }
        if (count == 0) return new Figure(spread, 0, null);
        double[] b = massBox(weight, w, h, 0.02, 0.98);
        return new Figure(spread, count / (double) (w * h), new Box(b[0], b[1], b[2] - b[0], b[3] - b[1]));
    }

    /** Statistics of the pixels alone (no detectors). */
    record Stats(double meanLuma, double darkFraction, double blackFraction, double clippedHigh, double clippedLow,
                 double whiteFraction, double meanSaturation, double syntheticHue, double warmFraction,
                 double flatFraction, double dominantShare, int colourCount, double sharpness, double edgeDensity,
                 double verticality, double skyTop, double groundContrast, double borderSpread, double borderLuma,
                 Hot hot) {}

    /**
     * The hottest pixels (near-white or saturated yellow-orange at high brightness): their share of
     * the frame, centroid and spread, as fractions. A launch plume is a compact hot spot low in the
     * frame; a lamp or the Sun is small; a white slide is everywhere.
     */
    record Hot(double share, double cx, double cy, double sx, double sy) {
        static final Hot NONE = new Hot(0, 0.5, 0.5, 0, 0);
    }

    static Stats stats(Measure.Pixels p) {
        int w = p.width();
        int h = p.height();
        int n = p.n();
        int[] luma = p.luma();
        double satSum = 0;
        int dark = 0, black = 0, hiClip = 0, loClip = 0, white = 0, warm = 0, synthetic = 0;
        int[] bins = new int[4096];
        double hotN = 0, hx = 0, hy = 0, hxx = 0, hyy = 0;
        for (int i = 0; i < n; i++) {
            int r = p.r(i), g = p.g(i), b = p.b(i), l = luma[i];
            int mx = Math.max(r, Math.max(g, b));
            int mn = Math.min(r, Math.min(g, b));
            double sat = mx == 0 ? 0 : (mx - mn) / (double) mx;
            satSum += sat;
            if (l < 40) dark++;
            if (l < 16) black++;
            if (l >= 250) hiClip++;
            if (l <= 3) loClip++;
            if (l >= 235) white++;
            if (sat > 0.25 && r > g && g >= b && l > 40) warm++;
            // strongly saturated green, cyan and yellow-green: the middle of a rainbow colour map, rare in
            // natural space imagery (sky and ocean are blue, vegetation is dull, nebulae are red and blue)
            if (sat > 0.55 && mx > 90 && g >= r * 0.8 && g > b * 0.9 && !(r > 200 && g > 200 && b > 200)) synthetic++;
            bins[(r >> 4) << 8 | (g >> 4) << 4 | (b >> 4)]++;
            if (l >= 235 && r >= g && g >= b - 8) {
                double fx = (i % w + 0.5) / w, fy = (i / w + 0.5) / h;
                hotN++;
                hx += fx;
                hy += fy;
                hxx += fx * fx;
                hyy += fy * fy;
            }
        }
        Hot hot = hotN == 0 ? Hot.NONE : new Hot(hotN / n, hx / hotN, hy / hotN,
                Math.sqrt(Math.max(0, hxx / hotN - Math.pow(hx / hotN, 2))), Math.sqrt(Math.max(0, hyy / hotN - Math.pow(hy / hotN, 2))));
        int flat = 0, lit = 0;
        long gxSum = 0, gySum = 0;
        int edges = 0;
        double lapSum = 0, lapSq = 0;
        int lapN = 0;
        double[] rowGrad = new double[h];
        double[] rowLuma = new double[h];
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                int i = y * w + x;
                if (luma[i] > 40) {
                    lit++;
                    if (same(p, i, i + 1) && same(p, i, i + w)) flat++;
                }
                int gx = luma[i + 1] - luma[i - 1];
                int gy = luma[i + w] - luma[i - w];
                gxSum += Math.abs(gx);
                gySum += Math.abs(gy);
                int mag = Math.abs(gx) + Math.abs(gy);
                if (mag > 40) edges++;
                rowGrad[y] += mag;
                rowLuma[y] += luma[i];
                int lap = 4 * luma[i] - luma[i - 1] - luma[i + 1] - luma[i - w] - luma[i + w];
                lapSum += lap;
                lapSq += (double) lap * lap;
                lapN++;
            }
        }
        int inner = Math.max(1, (w - 2) * (h - 2));
        double lapVar = lapN == 0 ? 0 : lapSq / lapN - Math.pow(lapSum / lapN, 2);
        int[] sorted = bins.clone();
        Arrays.sort(sorted);
        double dominant = (sorted[4095] + sorted[4094] + sorted[4093] + sorted[4092]) / (double) n;
        int colours = 0;
        for (int c : bins) if (c >= n * 0.001) colours++;

        // sky above ground: the top quarter is smooth compared with the bottom half
        double top = 0, bottom = 0;
        int topRows = 0, bottomRows = 0;
        for (int y = 1; y < h - 1; y++) {
            if (y < h / 4) {
                top += rowGrad[y];
                topRows++;
            } else if (y >= h / 2) {
                bottom += rowGrad[y];
                bottomRows++;
            }
        }
        double perRow = Math.max(1, w - 2);
        top = topRows == 0 ? 0 : top / topRows / perRow;
        bottom = bottomRows == 0 ? 0 : bottom / bottomRows / perRow;
        double skyTop = (bottom + 1) / (top + 1);
        double topLuma = 0, bottomLuma = 0;
        for (int y = 1; y < h - 1; y++) {
            if (y < h / 3) topLuma += rowLuma[y];
            else if (y >= 2 * h / 3) bottomLuma += rowLuma[y];
        }
        topLuma /= Math.max(1, (h / 3 - 1) * perRow);
        bottomLuma /= Math.max(1, (h - 1 - 2 * h / 3) * perRow);

        // the frame's border: a plain border (low spread) means a subject on a plain background
        int ring = Math.max(1, Math.min(w, h) / 32);
        double bs = 0, bq = 0;
        int bn = 0;
        for (int y = 0; y < h; y++) {
            boolean edgeRow = y < ring || y >= h - ring;
            for (int x = 0; x < w; x = edgeRow || x + 1 < ring || x >= w - ring ? x + 1 : w - ring) {
                int l = luma[y * w + x];
                bs += l;
                bq += (double) l * l;
                bn++;
            }
        }
        double borderMean = bs / bn;
        double borderSpread = Math.sqrt(Math.max(0, bq / bn - borderMean * borderMean));

        return new Stats(mean(luma), dark / (double) n, black / (double) n, hiClip / (double) n, loClip / (double) n,
                white / (double) n, satSum / n, synthetic / (double) n, warm / (double) n,
                lit == 0 ? 0 : flat / (double) inner, dominant, colours, lapVar, edges / (double) inner,
                gxSum + gySum == 0 ? 0.5 : gxSum / (double) (gxSum + gySum), skyTop, bottomLuma - topLuma,
                borderSpread, borderMean, hot);
    }

    private static boolean same(Measure.Pixels p, int i, int j) {
        return Math.abs(p.r(i) - p.r(j)) <= 1 && Math.abs(p.g(i) - p.g(j)) <= 1 && Math.abs(p.b(i) - p.b(j)) <= 1;
    }

    static double mean(int[] values) {
        long s = 0;
        for (int v : values) s += v;
        return values.length == 0 ? 0 : (double) s / values.length;
    }

    static int median(int[] values) {
        int[] hist = new int[256];
        for (int v : values) hist[v]++;
        int half = values.length / 2, acc = 0;
        for (int i = 0; i < 256; i++) {
            acc += hist[i];
            if (acc > half) return i;
        }
        return 255;
    }

    /** The box between the given quantiles of the weight's row and column marginals, as fractions. */
    static double[] massBox(double[] weight, int w, int h, double lo, double hi) {
        double[] cols = new double[w];
        double[] rows = new double[h];
        double total = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double v = weight[y * w + x];
                cols[x] += v;
                rows[y] += v;
                total += v;
            }
        }
        if (total <= 0) return new double[] {0, 0, 1, 1};
        return new double[] {quantile(cols, total, lo) / (double) w, quantile(rows, total, lo) / (double) h,
                (quantile(cols, total, hi) + 1) / (double) w, (quantile(rows, total, hi) + 1) / (double) h};
    }

    private static int quantile(double[] marginal, double total, double q) {
        double acc = 0;
        for (int i = 0; i < marginal.length; i++) {
            acc += marginal[i];
            if (acc >= q * total) return i;
        }
        return marginal.length - 1;
    }

    static double[] centroid(double[] weight, int w, int h) {
        double sx = 0, sy = 0, t = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double v = weight[y * w + x];
                sx += v * (x + 0.5);
                sy += v * (y + 0.5);
                t += v;
            }
        }
        return t <= 0 ? new double[] {0.5, 0.5} : new double[] {sx / t / w, sy / t / h};
    }

    /** Mean colour (r, g, b) of the region under a face: the clothing, for the subject sentence. */
    static int[] torso(Measure.Pixels p, Box face) {
        int w = p.width(), h = p.height();
        int x0 = (int) Math.max(0, Math.floor((face.cx() - face.w()) * w));
        int x1 = (int) Math.min(w, Math.ceil((face.cx() + face.w()) * w));
        int y0 = (int) Math.max(0, Math.floor((face.y() + face.h() * 1.3) * h));
        int y1 = (int) Math.min(h, Math.ceil((face.y() + face.h() * 2.5) * h));
        long r = 0, g = 0, b = 0, n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                int i = y * w + x;
                r += p.r(i);
                g += p.g(i);
                b += p.b(i);
                n++;
            }
        }
        return n == 0 ? null : new int[] {(int) (r / n), (int) (g / n), (int) (b / n)};
    }
}
