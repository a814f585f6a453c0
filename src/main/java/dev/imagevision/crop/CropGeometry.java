package dev.imagevision.crop;

import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.SubjectBox;

/**
 * Where to cut a variant: pure arithmetic over the source size, the focal point, the subject box
 * and the variant's ratio and size limit.
 *
 * <p>The window is always the largest of the ratio that fits the image (a subject box never needs a
 * smaller one: what does not fit the largest window fits no smaller one). It therefore spans the
 * whole image on one axis, and is placed on the other axis, in whole pixels, as close to centred on
 * the focal point as it can be while it
 * <ol>
 *   <li>stays inside the image,</li>
 *   <li>contains the focal point,</li>
 *   <li>contains the whole subject box when the box fits in the window on that axis, or else lies
 *       entirely inside the box, which keeps as much of the subject as the window can hold.</li>
 * </ol>
 * The subject box is first widened to whole pixels ({@link #pixelSpan}). When the focal point lies
 * outside the subject box and (1)–(3) cannot all hold, the focal point wins and the box is ignored
 * on that axis: the focal point is what a provider or an editor chose last.
 *
 * <p>The output is the window scaled down, never up, so that its long edge is at most the variant's
 * max edge; its short edge follows the exact ratio, so it also has the ratio to within one pixel.
 */
public final class CropGeometry {
    /** Box edges closer than this to a pixel boundary snap to it (fractions like 0.1 + 0.2 are not exact). */
    private static final double SNAP = 1e-9;

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

        int x = place(width, w, f.x(), box == null ? null : pixelSpan(box.x(), box.x() + box.w(), width));
        int y = place(height, h, f.y(), box == null ? null : pixelSpan(box.y(), box.y() + box.h(), height));
        int[] out = outputSize(w, h, ratioW, ratioH, maxEdge);
        return new CropWindow(x, y, w, h, out[0], out[1]);
    }

    /**
     * The output size of a {@code w × h} window: the window itself when its long edge is within
     * {@code maxEdge} (never upscaled, never resampled for nothing), else long edge = {@code maxEdge}
     * and the short edge from the exact ratio, never more than the window's.
     */
    static int[] outputSize(int w, int h, int ratioW, int ratioH, int maxEdge) {
        if (Math.max(w, h) <= maxEdge) return new int[] {w, h};
        if (w >= h) {
            int outH = (int) Math.max(1, Math.min(h, Math.round((double) maxEdge * ratioH / ratioW)));
            return new int[] {maxEdge, outH};
        }
        int outW = (int) Math.max(1, Math.min(w, Math.round((double) maxEdge * ratioW / ratioH)));
        return new int[] {outW, maxEdge};
    }

    /** A box edge pair (fractions) widened outwards to whole pixels of an axis of {@code size}: {@code [from, to]}. */
    public static int[] pixelSpan(double fromFraction, double toFraction, int size) {
        int from = (int) Math.max(0, Math.min(size, Math.floor(fromFraction * size + SNAP)));
        int to = (int) Math.max(from, Math.min(size, Math.ceil(toFraction * size - SNAP)));
        return new int[] {from, to};
    }

    /** One axis: the window's start in {@code [0, size - length]}. */
    static int place(int size, int length, double focalFraction, int[] boxSpan) {
        int max = size - length;
        if (max <= 0) return 0;
        double fp = Math.max(0, Math.min(size, focalFraction * size));
        double whole = Math.rint(fp);
        if (Math.abs(fp - whole) < SNAP) fp = whole; // as box edges snap, so that a focal point on a box edge stays in the box
        // starts whose window [start, start + length] contains the focal point
        int lo = (int) Math.max(0, Math.ceil(fp - length));
        int hi = (int) Math.min(max, Math.floor(fp));
        int desired = (int) Math.round(fp - length / 2.0);
        if (boxSpan != null) {
            int b0 = boxSpan[0];
            int b1 = boxSpan[1];
            int boxLo;
            int boxHi;
            if (b1 - b0 <= length) { // fits: the window covers [b0, b1]
                boxLo = Math.max(0, b1 - length);
                boxHi = Math.min(max, b0);
            } else { // longer than the window: the window stays inside the box
                boxLo = b0;
                boxHi = b1 - length;
            }
            int l = Math.max(lo, boxLo);
            int r = Math.min(hi, boxHi);
            if (l <= r) { // the focal point and the box can both be honoured (always, when the box holds the focal point)
                lo = l;
                hi = r;
            }
        }
        return Math.max(lo, Math.min(hi, desired));
    }
}
