package dev.imagevision.crop;

/**
 * EXIF orientation (1–8) as arithmetic. Windows are computed on the image as it is meant to be seen
 * ("oriented"); the decoder hands over the pixels as stored. Instead of turning the whole decoded
 * image, each window is mapped back to stored pixels, cut and scaled there, and only the small
 * output is turned: the same pixels, without a full-size copy.
 *
 * <p>How the stored image is shown, per value: 1 as is, 2 mirrored left–right, 3 turned 180°,
 * 4 mirrored top–bottom, 5 transposed, 6 turned 90° clockwise, 7 transversed, 8 turned 90°
 * counter-clockwise.
 */
public final class ExifOrientation {
    private ExifOrientation() {}

    /** Values 5–8 swap width and height. */
    public static boolean swapsAxes(int orientation) {
        return orientation >= 5 && orientation <= 8;
    }

    /**
     * The stored-pixel rectangle {@code {x, y, w, h}} that shows as the oriented rectangle
     * {@code [x, y, w, h]} of an image stored {@code storedW × storedH}.
     */
    public static int[] storedRect(int orientation, int storedW, int storedH, int x, int y, int w, int h) {
        return switch (orientation) {
            case 2 -> new int[] {storedW - x - w, y, w, h};
            case 3 -> new int[] {storedW - x - w, storedH - y - h, w, h};
            case 4 -> new int[] {x, storedH - y - h, w, h};
            case 5 -> new int[] {y, x, h, w};
            case 6 -> new int[] {y, storedH - x - w, h, w};
            case 7 -> new int[] {storedW - y - h, storedH - x - w, h, w};
            case 8 -> new int[] {storedW - y - h, x, h, w};
            default -> new int[] {x, y, w, h};
        };
    }

    /** The stored pixel {@code {sx, sy}} shown at oriented pixel {@code (u, v)}: the definition the rectangles follow. */
    public static int[] storedPixel(int orientation, int storedW, int storedH, int u, int v) {
        return switch (orientation) {
            case 2 -> new int[] {storedW - 1 - u, v};
            case 3 -> new int[] {storedW - 1 - u, storedH - 1 - v};
            case 4 -> new int[] {u, storedH - 1 - v};
            case 5 -> new int[] {v, u};
            case 6 -> new int[] {v, storedH - 1 - u};
            case 7 -> new int[] {storedW - 1 - v, storedH - 1 - u};
            case 8 -> new int[] {storedW - 1 - v, u};
            default -> new int[] {u, v};
        };
    }
}
