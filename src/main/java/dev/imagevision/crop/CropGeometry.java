package dev.imagevision.crop;

import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.SubjectBox;

/**
 * Where to cut a variant: pure arithmetic over the source size, the focal point, the subject box
 * and the variant's ratio and size limit.
 *
 * <p>The window is always the largest of the ratio that fits the image. Along each axis it is
 * placed as close to centred on the focal point as it can be while it (a) stays inside the
 * image, (b) contains the focal point and (c) contains the whole subject box when the box fits
 * in the window; when the box is longer than the window on that axis, the window stays within the
 * box so it keeps as much of the subject as possible around the focal point.
 */
public final class CropGeometry {
    private CropGeometry() {}

    public static CropWindow window(int width, int height, FocalPoint focal, SubjectBox box, int ratioW, int ratioH,
                                    int maxEdge) {
        if (width < 1 || height < 1) throw new IllegalArgumentException("image size must be positive");
        if (ratioW < 1 || ratioH < 1 || maxEdge < 1) throw new IllegalArgumentException("ratio and max edge must be positive");
        FocalPoint f = focal == null ? FocalPoint.CENTRE : focal;

        int w;
        int h;
        if ((long) width * ratioH >= (long) height * ratioW) { // image at least as wide as the ratio
            h = height;
            w = (int) Math.min(width, Math.max(1, Math.round((double) height * ratioW / ratioH)));
        } else {
            w = width;
            h = (int) Math.min(height, Math.max(1, Math.round((double) width * ratioH / ratioW)));
        }

        int x = place(width, w, f.x(), box == null ? null : new double[] {box.x(), box.x() + box.w()});
        int y = place(height, h, f.y(), box == null ? null : new double[] {box.y(), box.y() + box.h()});

        double scale = Math.min(1.0, (double) maxEdge / Math.max(w, h));
        int outW = (int) Math.max(1, Math.min(w, Math.round(w * scale)));
        int outH = (int) Math.max(1, Math.min(h, Math.round(h * scale)));
        return new CropWindow(x, y, w, h, outW, outH);
    }

    /** One axis: the window's start in [0, size - length]. */
    static int place(int size, int length, double focalFraction, double[] boxFractions) {
        int max = size - length;
        if (max <= 0) return 0;
        double fp = focalFraction * size;
        // positions whose window [start, start + length] contains the focal point
        int focalLo = (int) Math.max(0, Math.ceil(fp - length));
        int focalHi = (int) Math.min(max, Math.floor(fp));
        if (focalLo > focalHi) { // cannot happen for a focal point inside the image; stay safe
            focalLo = 0;
            focalHi = max;
        }
        int desired = (int) Math.round(fp - length / 2.0);
        int lo = focalLo;
        int hi = focalHi;
        if (boxFractions != null) {
            int b0 = (int) Math.max(0, Math.floor(boxFractions[0] * size));
            int b1 = (int) Math.min(size, Math.ceil(boxFractions[1] * size));
            int boxLo;
            int boxHi;
            if (b1 - b0 <= length) { // fits: window must cover [b0, b1]
                boxLo = Math.max(0, b1 - length);
                boxHi = Math.min(max, b0);
            } else { // longer than the window: stay inside the box
                boxLo = Math.max(0, b0);
                boxHi = Math.min(max, b1 - length);
            }
            int l = Math.max(lo, boxLo);
            int r = Math.min(hi, boxHi);
            if (l <= r) { // both the focal point and the box can be honoured
                lo = l;
                hi = r;
            }
        }
        return Math.max(lo, Math.min(hi, desired));
    }
}
