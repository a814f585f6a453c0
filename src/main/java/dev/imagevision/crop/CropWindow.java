package dev.imagevision.crop;

/**
 * A window cut from the source (pixels of the oriented source image) and the size it is scaled to.
 */
public record CropWindow(int x, int y, int width, int height, int outWidth, int outHeight) {

    /** The window as fractions of the source, rounded to 4 decimals (manifest {@code crop_windows}). */
    public Fraction asFraction(int sourceWidth, int sourceHeight) {
        return new Fraction(round4((double) x / sourceWidth), round4((double) y / sourceHeight),
                round4((double) width / sourceWidth), round4((double) height / sourceHeight));
    }

    /** A window as fractions of its source. */
    public record Fraction(double x, double y, double w, double h) {}

    private static double round4(double v) {
        return Math.round(v * 10_000d) / 10_000d;
    }
}
