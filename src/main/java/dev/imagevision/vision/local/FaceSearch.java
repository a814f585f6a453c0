package dev.imagevision.vision.local;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds faces of any size with a detector made for faces that fill much of its small input: the
 * whole frame, then overlapping square tiles so a speaker at a podium is large enough in one of
 * them. Every candidate is then looked at again, zoomed so the face fills the detector's input;
 * what a face detector mistakes for a face at one scale (a lunar disk, a galaxy) rarely survives
 * the second look.
 */
final class FaceSearch {
    /** Below this first-look confidence a candidate is not worth a second look. */
    static final double CANDIDATE = 0.6;
    /** A first look this sure needs no search at smaller scales. */
    static final double SURE = 0.8;
    /** Tile sides as fractions of the short edge; at most {@link #MAX_CANDIDATES} candidates get a second look. */
    static final double[] TILE_SCALES = {1.0, 0.6};
    static final int MAX_CANDIDATES = 3;
    /** Tiles advance by at most this share of their side, so neighbours overlap by at least 15%. */
    static final double STEP = 0.85;
    /** Frames darker than this (share of dark pixels) are not searched for small faces: sky, not a crowd. */
    static final double DARK_FRAME = 0.5;

    private FaceSearch() {}

    /**
     * @param smallFaces also search tiles small enough for a speaker across a room; skipped on dark
     *                   frames and once a face has been found, where it only costs time; in a
     *                   colour frame, a tile without skin tones is not searched either
     */
    static List<Evidence.Face> find(BlazeFace detector, Mat bgr, Measure.Pixels px, boolean smallFaces) {
        int w = bgr.cols();
        int h = bgr.rows();
        int[] luma = px.luma();
        int[] skin = Skin.integral(px);
        List<BlazeFace.Face> all = new ArrayList<>();
        try (Rect whole = new Rect(0, 0, w, h)) {
            all.addAll(detector.detect(bgr, whole));
        }
        for (double scale : TILE_SCALES) {
            if (scale < 1 && (!smallFaces || all.stream().anyMatch(f -> f.score() >= SURE))) continue;
            // when small tiles are searched anyway, a frame not much wider than square needs no middle scale
            if (scale >= 1 && smallFaces && Math.max(w, h) <= 1.5 * Math.min(w, h)) continue;
            int side = (int) Math.round(Math.min(w, h) * scale);
            if (side < 48) continue;
            for (int[] t : tiles(w, h, side)) {
                if (t[0] == 0 && t[1] == 0 && side >= w && side >= h) continue; // that is the whole frame again
                if (featureless(luma, w, t[0], t[1], side)) continue;
                if (skin != null && Skin.share(skin, w, t[0], t[1], side) < Skin.TILE_SHARE) continue;
                try (Rect r = new Rect(t[0], t[1], side, side)) {
                    all.addAll(detector.detect(bgr, r));
                }
            }
        }
        List<BlazeFace.Face> merged = BlazeFace.weightedNms(all, 0.3);
        List<Evidence.Face> out = new ArrayList<>();
        for (BlazeFace.Face f : merged) {
            if (f.score() < CANDIDATE || out.size() >= MAX_CANDIDATES) continue;
            // a second look costs a detector run; one that could not confirm the candidate is skipped
            double second = Judge.confirmable(f.score(), f.w()) ? secondLook(detector, bgr, f) : 0;
            Evidence.Box box = new Evidence.Box(f.x(), f.y(), f.w(), f.h());
            out.add(new Evidence.Face(box, f.score(), second, litSurround(luma, w, h, box)));
        }
        return out;
    }

    /**
     * Share of lit pixels (luma at least 40) in a ring around the box, as wide as half the box. A
     * person's face sits among hair, body and room; a disk mistaken for a face sits in black sky.
     */
    static double litSurround(int[] luma, int w, int h, Evidence.Box b) {
        int x0 = (int) Math.floor((b.x() - b.w() * 0.5) * w), x1 = (int) Math.ceil((b.x() + b.w() * 1.5) * w);
        int y0 = (int) Math.floor((b.y() - b.h() * 0.5) * h), y1 = (int) Math.ceil((b.y() + b.h() * 1.5) * h);
        int ix0 = (int) Math.floor(b.x() * w), ix1 = (int) Math.ceil((b.x() + b.w()) * w);
        int iy0 = (int) Math.floor(b.y() * h), iy1 = (int) Math.ceil((b.y() + b.h()) * h);
        int lit = 0, all = 0;
        for (int y = Math.max(0, y0); y < Math.min(h, y1); y++) {
            for (int x = Math.max(0, x0); x < Math.min(w, x1); x++) {
                if (x >= ix0 && x < ix1 && y >= iy0 && y < iy1) continue;
                all++;
                if (luma[y * w + x] >= 40) lit++;
            }
        }
        return all == 0 ? 0 : (double) lit / all;
    }

    /**
     * A tile of nearly one brightness (open sky, black space, a blank wall) holds no face: a face has
     * contrast (eyes, mouth, hairline). Sampled on a sparse grid; cheap next to a detector run.
     */
    static boolean featureless(int[] luma, int w, int x0, int y0, int side) {
        int step = Math.max(1, side / 24);
        double s = 0, q = 0;
        int n = 0;
        for (int y = y0; y < y0 + side; y += step) {
            for (int x = x0; x < x0 + side; x += step) {
                int l = luma[y * w + x];
                s += l;
                q += (double) l * l;
                n++;
            }
        }
        double mean = s / n;
        return Math.sqrt(Math.max(0, q / n - mean * mean)) < FEATURELESS_SPREAD;
    }

    /** Brightness spread (standard deviation, 0–255) below which a tile is featureless. */
    static final double FEATURELESS_SPREAD = 10;

    /** Tile origins covering a w × h image with squares of the given side, overlapping by at least 1 - {@link #STEP}. */
    static List<int[]> tiles(int w, int h, int side) {
        int nx = w <= side ? 1 : (int) Math.ceil((w - side) / (STEP * side)) + 1;
        int ny = h <= side ? 1 : (int) Math.ceil((h - side) / (STEP * side)) + 1;
        List<int[]> out = new ArrayList<>(nx * ny);
        for (int j = 0; j < ny; j++) {
            for (int i = 0; i < nx; i++) {
                int x = nx == 1 ? 0 : (int) Math.round((double) (w - side) * i / (nx - 1));
                int y = ny == 1 ? 0 : (int) Math.round((double) (h - side) * j / (ny - 1));
                out.add(new int[] {Math.max(0, x), Math.max(0, y)});
            }
        }
        return out;
    }

    /** The best confidence for a face near the candidate's centre when the candidate fills about 40% of the input. */
    static double secondLook(BlazeFace detector, Mat bgr, BlazeFace.Face f) {
        int w = bgr.cols();
        int h = bgr.rows();
        double cx = (f.x() + f.w() / 2) * w;
        double cy = (f.y() + f.h() / 2) * h;
        int side = (int) Math.round(Math.max(f.w() * w, f.h() * h) * 2.5);
        side = Math.max(16, Math.min(side, Math.min(w, h)));
        int x = (int) Math.round(Math.max(0, Math.min(w - side, cx - side / 2.0)));
        int y = (int) Math.round(Math.max(0, Math.min(h - side, cy - side / 2.0)));
        double best = 0;
        try (Rect r = new Rect(x, y, side, side)) {
            for (BlazeFace.Face g : detector.detect(bgr, r)) {
                double gx = (g.x() + g.w() / 2) * w;
                double gy = (g.y() + g.h() / 2) * h;
                if (Math.abs(gx - cx) < f.w() * w * 0.5 && Math.abs(gy - cy) < f.h() * h * 0.5) best = Math.max(best, g.score());
            }
        }
        return best;
    }
}
