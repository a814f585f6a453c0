package dev.imagevision.vision.local;

import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.javacpp.indexer.IntIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_imgproc.LineSegmentDetector;

import java.nio.ByteBuffer;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_RECT;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_OTSU;
import static org.bytedeco.opencv.global.opencv_imgproc.blur;
import static org.bytedeco.opencv.global.opencv_imgproc.connectedComponentsWithStats;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.dilate;
import static org.bytedeco.opencv.global.opencv_imgproc.getStructuringElement;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;

/**
 * The pixel statistics behind {@link Evidence}, measured on the analysis-size image. Most of it is
 * plain loops over the pixel arrays; OpenCV does the neighbourhood work (blur, dilation, connected
 * components, line segments).
 */
final class Measure {
    private Measure() {}

    /** Pixels of the analysis image as arrays: interleaved BGR bytes and luma 0–255. */
    record Pixels(int width, int height, byte[] bgr, int[] luma) {
        int n() {
            return width * height;
        }

        int b(int i) {
            return bgr[3 * i] & 0xFF;
        }

        int g(int i) {
            return bgr[3 * i + 1] & 0xFF;
        }

        int r(int i) {
            return bgr[3 * i + 2] & 0xFF;
        }

        static Pixels of(Mat bgr, Mat gray) {
            int w = bgr.cols();
            int h = bgr.rows();
            byte[] colour = new byte[w * h * 3];
            byte[] g = new byte[w * h];
            try (Mat c = bgr.isContinuous() ? bgr.clone() : bgr.clone(); Mat gg = gray.clone()) {
                ((ByteBuffer) c.createBuffer()).get(colour);
                ((ByteBuffer) gg.createBuffer()).get(g);
            }
            int[] luma = new int[w * h];
            for (int i = 0; i < luma.length; i++) luma[i] = g[i] & 0xFF;
            return new Pixels(w, h, colour, luma);
        }
    }

    static Mat gray(Mat bgr) {
        Mat gray = new Mat();
        cvtColor(bgr, gray, COLOR_BGR2GRAY);
        return gray;
    }

    /**
     * Point sources per 10,000 pixels: local maxima (5 × 5) standing at least 30 levels above their
     * 15 × 15 surroundings, where those surroundings are dark. Stars look like this; texture,
     * clouds and rock do not (their surroundings are lit).
     */
    static double pointSources(Mat gray, int[] luma, int w, int h) {
        int[] local;
        int[] max;
        try (Mat bg = new Mat(); Mat dil = new Mat(); Size k15 = new Size(15, 15); Size k5 = new Size(5, 5);
             Mat kernel = getStructuringElement(MORPH_RECT, k5)) {
            blur(gray, bg, k15);
            dilate(gray, dil, kernel);
            local = bytes(bg);
            max = bytes(dil);
        }
        int count = 0;
        for (int y = 2; y < h - 2; y++) {
            for (int x = 2; x < w - 2; x++) {
                int i = y * w + x;
                // only the first pixel of a flat-topped peak counts, so a plateau is one source
                if (luma[i] == max[i] && luma[i] - local[i] >= 30 && local[i] < 60 && luma[i - 1] < luma[i] && luma[i - w] < luma[i]) count++;
            }
        }
        return count * 10_000.0 / ((double) w * h);
    }

    static int[] bytes(Mat m) {
        byte[] b = new byte[(int) m.total()];
        try (Mat c = m.clone()) {
            ((ByteBuffer) c.createBuffer()).get(b);
        }
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) out[i] = b[i] & 0xFF;
        return out;
    }

    /** The largest bright region of a dark frame (Otsu threshold, at least 40): a planet, moon or craft. */
    record Blob(double area, double x, double y, double w, double h, double fill, boolean touchesEdge,
                Evidence.Box group) {
        static final Blob NONE = new Blob(0, 0, 0, 0, 0, 0, false, null);
    }

    /** Components smaller than this share of the largest one (or of the frame) are stars or noise, not subject. */
    static final double GROUP_SHARE = 0.05;
    static final double GROUP_MIN_AREA = 0.0008;

    static Blob brightBlob(Mat gray) {
        int w = gray.cols();
        int h = gray.rows();
        try (Mat bin = new Mat(); Mat labels = new Mat(); Mat stats = new Mat(); Mat centroids = new Mat()) {
            double t = threshold(gray, bin, 0, 255, THRESH_BINARY | THRESH_OTSU);
            if (t < 40) threshold(gray, bin, 40, 255, THRESH_BINARY);
            int n = connectedComponentsWithStats(bin, labels, stats, centroids, 8, org.bytedeco.opencv.global.opencv_core.CV_32S);
            int best = -1;
            int bestArea = 0;
            try (IntIndexer s = stats.createIndexer()) {
                for (int i = 1; i < n; i++) {
                    int a = s.get(i, 4);
                    if (a > bestArea) {
                        bestArea = a;
                        best = i;
                    }
                }
                if (best < 0) return Blob.NONE;
                int bx = s.get(best, 0), by = s.get(best, 1), bw = s.get(best, 2), bh = s.get(best, 3);
                boolean edge = bx <= 1 || by <= 1 || bx + bw >= w - 1 || by + bh >= h - 1;
                // every bright region that matters (Pluto and Charon, a craft and its antenna), as one box
                int gx0 = bx, gy0 = by, gx1 = bx + bw, gy1 = by + bh;
                double minArea = Math.max(GROUP_SHARE * bestArea, GROUP_MIN_AREA * w * h);
                for (int i = 1; i < n; i++) {
                    if (i == best || s.get(i, 4) < minArea) continue;
                    gx0 = Math.min(gx0, s.get(i, 0));
                    gy0 = Math.min(gy0, s.get(i, 1));
                    gx1 = Math.max(gx1, s.get(i, 0) + s.get(i, 2));
                    gy1 = Math.max(gy1, s.get(i, 1) + s.get(i, 3));
                }
                Evidence.Box group = new Evidence.Box((double) gx0 / w, (double) gy0 / h, (double) (gx1 - gx0) / w,
                        (double) (gy1 - gy0) / h);
                return new Blob(bestArea / ((double) w * h), (double) bx / w, (double) by / h, (double) bw / w,
                        (double) bh / h, bestArea / ((double) bw * bh), edge, group);
            }
        }
    }

    /** Total length of straight segments at least {@link #MIN_LINE} of the long edge, in long edges. */
    record Lines(double total) {}

    static final double MIN_LINE = 0.08;

    static Lines straightLines(Mat gray, LineSegmentDetector lsd) {
        int longEdge = Math.max(gray.cols(), gray.rows());
        double min = MIN_LINE * longEdge;
        double total = 0;
        try (Mat lines = new Mat()) {
            lsd.detect(gray, lines);
            if (lines.empty()) return new Lines(0);
            try (FloatIndexer l = lines.createIndexer()) {
                for (long i = 0; i < lines.rows(); i++) {
                    double len = Math.hypot(l.get(i, 0, 2) - l.get(i, 0, 0), l.get(i, 0, 3) - l.get(i, 0, 1));
                    if (len >= min) total += len;
                }
            }
        }
        return new Lines(total / longEdge);
    }


}
