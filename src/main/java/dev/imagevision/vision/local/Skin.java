package dev.imagevision.vision.local;

/**
 * Skin tones, to spare the face detector tiles that cannot hold a face: black sky, blue Earth, grey
 * metal. The range is deliberately wide (every complexion under warm or cool light, and much that
 * is not skin, like sand, rust and orange suits): it only ever skips a tile, it never finds a face.
 * A frame with hardly any colour (a black-and-white photograph, a grey scan) is not judged by hue.
 */
final class Skin {
    private Skin() {}

    /** Share of a tile's pixels that must look like skin for the tile to be searched. */
    static final double TILE_SHARE = 0.003;
    /** Share of clearly coloured pixels below which a frame counts as colourless, and no tile is skipped. */
    static final double COLOUR_FRAME = 0.05;

    /**
     * Skin in YCbCr (the chrominance box of Chai and Ngan, widened): Cr 130–185, Cb 70–140, and not
     * nearly black or clipped white.
     */
    static boolean skin(int r, int g, int b) {
        // integer YCbCr, scaled by 1000 (this runs on every pixel)
        int y = 299 * r + 587 * g + 114 * b;
        if (y < 30_000 || y > 250_000) return false;
        int cr = 500 * r - 419 * g - 81 * b; // (Cr - 128) × 1000
        int cb = -169 * r - 331 * g + 500 * b; // (Cb - 128) × 1000
        return cr >= 2_000 && cr <= 57_000 && cb >= -58_000 && cb <= 12_000;
    }

    /**
     * A summed-area table of skin pixels, (w + 1) × (h + 1), or null when the frame has too little
     * colour for hue to mean anything.
     */
    static int[] integral(Measure.Pixels p) {
        int w = p.width(), h = p.height();
        int[] sum = new int[(w + 1) * (h + 1)];
        int coloured = 0;
        for (int y = 0; y < h; y++) {
            int row = 0;
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                int r = p.r(i), g = p.g(i), b = p.b(i);
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 24) coloured++;
                if (skin(r, g, b)) row++;
                sum[(y + 1) * (w + 1) + x + 1] = sum[y * (w + 1) + x + 1] + row;
            }
        }
        return coloured < COLOUR_FRAME * w * h ? null : sum;
    }

    /** Share of skin pixels in the square tile at (x0, y0) with the given side. */
    static double share(int[] sum, int w, int x0, int y0, int side) {
        int stride = w + 1;
        int x1 = x0 + side, y1 = y0 + side;
        int n = sum[y1 * stride + x1] - sum[y0 * stride + x1] - sum[y1 * stride + x0] + sum[y0 * stride + x0];
        return n / ((double) side * side);
    }
}
