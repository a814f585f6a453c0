package dev.imagevision.vision;

/** The smallest box a crop must not cut, as fractions (0–1) of the image: left, top, width, height. */
public record SubjectBox(double x, double y, double w, double h) {

    public SubjectBox {
        if (!(Double.isFinite(x) && Double.isFinite(y) && Double.isFinite(w) && Double.isFinite(h))) {
            throw new IllegalArgumentException("subject box must be finite");
        }
    }

    /** Clamped into the image (a box partly outside keeps the part inside), rounded to 4 decimals. */
    public static SubjectBox of(double x, double y, double w, double h) {
        double x0 = FocalPoint.clamp01(x);
        double y0 = FocalPoint.clamp01(y);
        double x1 = FocalPoint.clamp01(x + Math.max(0, w));
        double y1 = FocalPoint.clamp01(y + Math.max(0, h));
        double rx = FocalPoint.round4(x0);
        double ry = FocalPoint.round4(y0);
        return new SubjectBox(rx, ry, FocalPoint.round4(Math.max(0, x1 - x0)), FocalPoint.round4(Math.max(0, y1 - y0)));
    }

    public boolean contains(FocalPoint p) {
        return p.x() >= x && p.x() <= x + w && p.y() >= y && p.y() <= y + h;
    }

    public double area() {
        return w * h;
    }
}
