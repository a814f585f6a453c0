package dev.imagevision.eval;

import dev.imagevision.crop.CropGeometry;
import dev.imagevision.crop.CropWindow;
import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.SubjectBox;

/**
 * The corpus's crop measure, as pure arithmetic. A window <em>keeps</em> the subject when it
 * covers at least {@link #KEEP} of the labelled box's area. An image counts for a ratio only when
 * that is <em>achievable</em>: the largest window of the ratio, placed as well as possible, can
 * keep the box.
 */
public final class SubjectKept {
    /** Share of the labelled box's area a window must cover. */
    public static final double KEEP = 0.9;

    private SubjectKept() {}

    /** True when the window covers at least 90% of the box (box as fractions of a width × height image). */
    public static boolean keeps(CropWindow window, int width, int height, SubjectBox box) {
        double[] b = pixels(box, width, height);
        double area = (b[2] - b[0]) * (b[3] - b[1]);
        if (area <= 0) return false;
        double ix = Math.max(0, Math.min(b[2], window.x() + window.width()) - Math.max(b[0], window.x()));
        double iy = Math.max(0, Math.min(b[3], window.y() + window.height()) - Math.max(b[1], window.y()));
        return ix * iy >= KEEP * area - 1e-9;
    }

    /**
     * True when the largest window of the ratio can keep the box at all. Overlap along each axis is
     * independent and at best the shorter of box and window, so the best placement is known exactly.
     */
    public static boolean achievable(int width, int height, SubjectBox box, int ratioW, int ratioH) {
        CropWindow largest = largest(width, height, ratioW, ratioH);
        double[] b = pixels(box, width, height);
        double bw = b[2] - b[0];
        double bh = b[3] - b[1];
        if (bw * bh <= 0) return false;
        return Math.min(bw, largest.width()) * Math.min(bh, largest.height()) >= KEEP * bw * bh - 1e-9;
    }

    /** The window a plain centre crop cuts: the largest of the ratio, centred. */
    public static CropWindow centre(int width, int height, int ratioW, int ratioH) {
        return largest(width, height, ratioW, ratioH);
    }

    private static CropWindow largest(int width, int height, int ratioW, int ratioH) {
        return CropGeometry.window(width, height, FocalPoint.CENTRE, null, ratioW, ratioH, Integer.MAX_VALUE);
    }

    /** The box in pixels, clamped to the image: {x0, y0, x1, y1}. */
    static double[] pixels(SubjectBox box, int width, int height) {
        double x0 = clamp(box.x()) * width;
        double y0 = clamp(box.y()) * height;
        double x1 = clamp(box.x() + box.w()) * width;
        double y1 = clamp(box.y() + box.h()) * height;
        return new double[] {x0, y0, Math.max(x0, x1), Math.max(y0, y1)};
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }
}
