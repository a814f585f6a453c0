package dev.imagevision.vision;

/** Where a crop should centre, as fractions (0–1) of the image after EXIF orientation. */
public record FocalPoint(double x, double y) {
    public static final FocalPoint CENTRE = new FocalPoint(0.5, 0.5);

    public FocalPoint {
        if (!Double.isFinite(x) || !Double.isFinite(y)) throw new IllegalArgumentException("focal point must be finite");
    }

    /** Clamped into the image and rounded to 4 decimals so files stay small and stable. */
    public static FocalPoint of(double x, double y) {
        return new FocalPoint(round4(clamp01(x)), round4(clamp01(y)));
    }

    static double clamp01(double v) {
        return Double.isFinite(v) ? Math.max(0, Math.min(1, v)) : 0.5;
    }

    static double round4(double v) {
        return Math.round(v * 10_000d) / 10_000d;
    }
}
