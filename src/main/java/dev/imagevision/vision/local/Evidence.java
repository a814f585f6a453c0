package dev.imagevision.vision.local;

import dev.imagevision.vision.Category;
import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.SubjectBox;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;

import java.util.Arrays;
import java.util.Locale;

/**
 * What the offline provider measured on one image (at analysis size): faces, brightness,
 * clipping, flat colour, sharpness, and a subject weight map from saliency and contrast with
 * the background. The decisions built on it are plain arithmetic.
 */
record Evidence(int width, int height, Box[] faces, double meanLuma, double darkFraction, double clippedHigh,
                double clippedLow, double whiteFraction, double meanSaturation, double flatFraction,
                double dominantColourShare, double sharpness, double warmFraction, Box subject, double focalX,
                double focalY) {

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

    static Evidence from(Mat bgr, Mat gray, float[] saliency, Box[] faces) {
        int w = gray.cols();
        int h = gray.rows();
        int n = w * h;
        int[] luma = new int[n];
        int[] colourKey = new int[n];
        double satSum = 0;
        int dark = 0, hiClip = 0, loClip = 0, white = 0, warm = 0;
        try (UByteIndexer g = gray.createIndexer(); UByteIndexer c = bgr.createIndexer()) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = y * w + x;
                    int l = g.get(y, x);
                    luma[i] = l;
                    int b = c.get(y, x, 0), gr = c.get(y, x, 1), r = c.get(y, x, 2);
                    int mx = Math.max(r, Math.max(gr, b));
                    int mn = Math.min(r, Math.min(gr, b));
                    double sat = mx == 0 ? 0 : (mx - mn) / (double) mx;
                    satSum += sat;
                    if (l < 40) dark++;
                    if (l >= 250) hiClip++;
                    if (l <= 3) loClip++;
                    if (l >= 235) white++;
                    if (sat > 0.25 && r > gr && gr >= b && l > 40) warm++;
                    colourKey[i] = (r >> 4) << 8 | (gr >> 4) << 4 | (b >> 4);
                }
            }
        }
        // flat pixels: lit and unchanged to either neighbour; a graphic is made of them, a photo rarely
        // is (the black sky of a space photo is flat too, so dark pixels do not count)
        int flat = 0;
        double lapSum = 0, lapSq = 0;
        int lapN = 0;
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                int i = y * w + x;
                if (luma[i] > 40 && luma[i] == luma[i + 1] && luma[i] == luma[i + w]) flat++;
                int lap = 4 * luma[i] - luma[i - 1] - luma[i + 1] - luma[i - w] - luma[i + w];
                lapSum += lap;
                lapSq += (double) lap * lap;
                lapN++;
            }
        }
        double lapVar = lapN == 0 ? 0 : lapSq / lapN - Math.pow(lapSum / lapN, 2);
        int[] counts = new int[4096];
        for (int k : colourKey) counts[k]++;
        Arrays.sort(counts);
        double dominant = (counts[4095] + counts[4094] + counts[4093] + counts[4092]) / (double) n;

        // subject weight: saliency plus how far a pixel is from the typical (median) brightness
        int median = median(luma);
        double[] weight = new double[n];
        double salMax = 0;
        for (float s : saliency) salMax = Math.max(salMax, s);
        double devMax = 1;
        for (int l : luma) devMax = Math.max(devMax, Math.abs(l - median));
        for (int i = 0; i < n; i++) {
            double s = saliency.length == n && salMax > 0 ? saliency[i] / salMax : 0;
            double d = Math.abs(luma[i] - median) / devMax;
            weight[i] = 0.5 * s + d * d;
        }
        double[] box = massBox(weight, w, h, 0.08, 0.92);
        double[] centroid = centroid(weight, w, h);
        Box subject = new Box(box[0], box[1], box[2] - box[0], box[3] - box[1]);
        return new Evidence(w, h, faces, mean(luma), dark / (double) n, hiClip / (double) n, loClip / (double) n,
                white / (double) n, satSum / n, lapN == 0 ? 0 : flat / (double) lapN, dominant, lapVar,
                warm / (double) n, subject, centroid[0], centroid[1]);
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

    private static double[] centroid(double[] weight, int w, int h) {
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

    private static int median(int[] values) {
        int[] hist = new int[256];
        for (int v : values) hist[v]++;
        int half = values.length / 2, acc = 0;
        for (int i = 0; i < 256; i++) {
            acc += hist[i];
            if (acc > half) return i;
        }
        return 255;
    }

    private static double mean(int[] values) {
        long s = 0;
        for (int v : values) s += v;
        return values.length == 0 ? 0 : (double) s / values.length;
    }

    /** The largest detected face, if any covers a meaningful part of the frame. */
    Box mainFace() {
        Box best = null;
        for (Box f : faces) if (best == null || f.area() > best.area()) best = f;
        return best != null && best.area() >= 0.002 ? best : null;
    }

    boolean looksLikeGraphic() {
        return flatFraction > 0.45 && (dominantColourShare > 0.45 || whiteFraction > 0.3);
    }

    Category category() {
        Box face = mainFace();
        if (face != null && face.area() >= 0.004) return Category.PEOPLE;
        if (looksLikeGraphic()) return Category.DIAGRAM;
        if (darkFraction > 0.55) return Category.ORBITAL;
        if (warmFraction > 0.35 && darkFraction < 0.25) return Category.SURFACE;
        return Category.OTHER;
    }

    /** A confirmed face wins over saliency; otherwise the weighted centre of the subject. */
    FocalPoint focalPoint() {
        Box face = mainFace();
        if (face != null) return FocalPoint.of(face.cx(), face.cy());
        return FocalPoint.of(focalX, focalY);
    }

    /** Around faces (with room for shoulders), else the saliency mass box. */
    SubjectBox subjectBox() {
        Box face = mainFace();
        if (face != null) {
            double x0 = face.x - face.w * 0.5, x1 = face.x + face.w * 1.5;
            double y0 = face.y - face.h * 0.4, y1 = face.y + face.h * 2.0;
            for (Box f : faces) {
                x0 = Math.min(x0, f.x);
                y0 = Math.min(y0, f.y);
                x1 = Math.max(x1, f.x + f.w);
                y1 = Math.max(y1, f.y + f.h);
            }
            return SubjectBox.of(x0, y0, x1 - x0, y1 - y0);
        }
        return SubjectBox.of(subject.x, subject.y, subject.w, subject.h);
    }

    /** 1–10 from sharpness, exposure and resolution; graphics are capped low. */
    int score(int sourceWidth, int sourceHeight) {
        double sharp = Math.min(1, Math.log1p(sharpness) / Math.log1p(2000));
        double exposure = 1 - Math.min(1, (clippedHigh + Math.max(0, clippedLow - 0.3)) * 4);
        double megapixels = (double) sourceWidth * sourceHeight / 1e6;
        double resolution = Math.min(1, megapixels / 2.0);
        double q = 0.45 * sharp + 0.25 * exposure + 0.30 * resolution;
        int score = (int) Math.round(1 + 9 * q);
        if (looksLikeGraphic()) score = Math.min(score, 4);
        return Math.max(1, Math.min(10, score));
    }

    /** A sentence that says only what was measured. */
    String sentence(Category category) {
        Box face = mainFace();
        String s = switch (category) {
            case PEOPLE -> (faces.length > 1 ? faces.length + " people, main face at " : "A person, face at ")
                    + where(face.cx(), face.cy());
            case DIAGRAM -> whiteFraction > 0.3 ? "Flat graphic on a light background, likely a chart, slide or diagram"
                    : "Flat-colour graphic, likely a chart, logo or diagram";
            case ORBITAL -> "Dark frame with a bright subject at " + where(focalX, focalY);
            case SURFACE -> "Warm-toned textured scene, subject at " + where(focalX, focalY);
            default -> "Photograph, main subject at " + where(focalX, focalY);
        };
        return s + ".";
    }

    static String where(double x, double y) {
        String v = y < 0.36 ? "upper" : y > 0.64 ? "lower" : "";
        String hz = x < 0.36 ? "left" : x > 0.64 ? "right" : "";
        if (v.isEmpty() && hz.isEmpty()) return "centre";
        if (v.isEmpty()) return "centre " + hz;
        if (hz.isEmpty()) return v + " centre";
        return String.format(Locale.ROOT, "%s %s", v, hz);
    }
}
