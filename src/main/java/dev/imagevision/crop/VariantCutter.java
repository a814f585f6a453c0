package dev.imagevision.crop;

import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.SubjectBox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts every variant of one source from a single decode: the header is checked against the pixel
 * guard, the windows are computed, the JPEG is decoded at the smallest DCT scale that still
 * serves the largest variant, and each window is scaled and encoded.
 */
public final class VariantCutter {
    private final ImageCodec codec;
    private final long maxInputPixels;

    public VariantCutter(ImageCodec codec, long maxInputPixels) {
        this.codec = codec;
        this.maxInputPixels = maxInputPixels;
    }

    /** One cut variant: the spec, where it was cut from, and the JPEG bytes. */
    public record Variant(CropSpec spec, CropWindow window, byte[] jpeg) {}

    /** All variants of one source, with the oriented source size the windows refer to. */
    public record Cut(int sourceWidth, int sourceHeight, List<Variant> variants) {}

    /** Reads the header and refuses an image whose declared pixel count is over the guard. */
    public ImageHeader checkedHeader(Path file) throws ImageException {
        ImageHeader header = ImageHeader.read(file);
        guard(header, maxInputPixels);
        return header;
    }

    public static void guard(ImageHeader header, long maxPixels) throws ImageException {
        if (header.pixels() > maxPixels) {
            throw new ImageException(String.format("image is %dx%d = %.1f megapixels, over the %.1f megapixel limit "
                            + "(max_input_pixels); nothing was decoded", header.width(), header.height(),
                    header.pixels() / 1e6, maxPixels / 1e6));
        }
    }

    /** The windows alone (pure), for a source of the given oriented size. */
    public static List<CropWindow> windows(int width, int height, FocalPoint focal, SubjectBox box, List<CropSpec> specs) {
        List<CropWindow> out = new ArrayList<>(specs.size());
        for (CropSpec s : specs) out.add(CropGeometry.window(width, height, focal, box, s.ratioW(), s.ratioH(), s.maxEdge()));
        return out;
    }

    /**
     * The DCT reduction (1, 2, 4, 8) that still leaves every window at least as large as its output:
     * decoding less would upscale, decoding more wastes time and memory.
     */
    public static int reductionFor(ImageFormat format, List<CropWindow> windows) {
        if (format != ImageFormat.JPEG) return 1;
        double room = Double.MAX_VALUE;
        for (CropWindow w : windows) {
            room = Math.min(room, Math.min((double) w.width() / w.outWidth(), (double) w.height() / w.outHeight()));
        }
        int reduction = 1;
        while (reduction < 8 && reduction * 2 <= room) reduction *= 2;
        return reduction;
    }

    public Cut cut(Path file, FocalPoint focal, SubjectBox box, List<CropSpec> specs) throws ImageException {
        ImageHeader header = checkedHeader(file);
        int w = header.orientedWidth();
        int h = header.orientedHeight();
        List<CropWindow> windows = windows(w, h, focal, box, specs);
        int reduction = reductionFor(header.format(), windows);
        try (Raster raster = codec.decode(file, header, reduction)) {
            // the decoded size may differ from the header's by rounding (reduced decodes) or orientation
            double sx = (double) raster.width() / w;
            double sy = (double) raster.height() / h;
            List<Variant> variants = new ArrayList<>(specs.size());
            for (int i = 0; i < specs.size(); i++) {
                CropWindow win = windows.get(i);
                int x = (int) Math.floor(win.x() * sx);
                int y = (int) Math.floor(win.y() * sy);
                int cw = Math.max(1, Math.min(raster.width() - x, (int) Math.round(win.width() * sx)));
                int ch = Math.max(1, Math.min(raster.height() - y, (int) Math.round(win.height() * sy)));
                byte[] jpeg = codec.cutScaleEncode(raster, x, y, cw, ch, win.outWidth(), win.outHeight(),
                        specs.get(i).quality());
                variants.add(new Variant(specs.get(i), win, jpeg));
            }
            return new Cut(w, h, variants);
        }
    }

    public String libraryMajorVersion() {
        return codec.libraryMajorVersion();
    }
}
