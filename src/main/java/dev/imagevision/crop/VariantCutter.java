package dev.imagevision.crop;

import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.SubjectBox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts every variant of one source from a single decode, in four steps: read the header and hold it
 * against the pixel guard; compute the windows; decode once, JPEGs at the smallest DCT scale that
 * still serves the largest variant, within the decode budget; scale and encode each window.
 * Stateless and safe to share between threads.
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

    /**
     * What cutting one source will do, known before a pixel is decoded.
     *
     * @param windows   one per spec, in oriented source pixels
     * @param reduction the DCT scale the JPEG is decoded at (1 for other formats)
     */
    public record Plan(Path file, ImageHeader header, List<CropSpec> specs, List<CropWindow> windows, int reduction) {
        public int sourceWidth() {
            return header.orientedWidth();
        }

        public int sourceHeight() {
            return header.orientedHeight();
        }

        /** The same source, cutting only some of the specs (the rest are cached): maybe a smaller decode. */
        public Plan only(List<CropSpec> subset) {
            List<CropWindow> w = new ArrayList<>(subset.size());
            for (CropSpec s : subset) w.add(windows.get(specs.indexOf(s)));
            return new Plan(file, header, List.copyOf(subset), List.copyOf(w), reductionFor(header.format(), w));
        }

        /** Memory the decode holds at its peak, for the {@link DecodeBudget}. */
        public long decodedBytes() {
            return VariantCutter.decodedBytes(header, reduction, windows);
        }
    }

    /** Reads the header and refuses an image whose declared pixel count is over the guard. */
    public ImageHeader checkedHeader(Path file) throws ImageException {
        ImageHeader header = ImageHeader.read(file);
        guard(header, maxInputPixels);
        return header;
    }

    public static void guard(ImageHeader header, long maxPixels) throws ImageException {
        if (header.pixels() > maxPixels) {
            throw new ImageException(String.format(java.util.Locale.ROOT,
                    "image is %dx%d = %.1f megapixels, over the %.1f megapixel limit "
                            + "(max_input_pixels in imagevision.json); nothing was decoded", header.width(),
                    header.height(), header.pixels() / 1e6, maxPixels / 1e6));
        }
    }

    /** The windows alone (pure), for a source of the given oriented size. */
    public static List<CropWindow> windows(int width, int height, FocalPoint focal, SubjectBox box, List<CropSpec> specs) {
        List<CropWindow> out = new ArrayList<>(specs.size());
        for (CropSpec s : specs) out.add(CropGeometry.window(width, height, focal, box, s.ratioW(), s.ratioH(), s.maxEdge()));
        return out;
    }

    /**
     * The DCT reduction (1, 2, 4, 8) that still leaves every window at least as large as its output
     * once reduced (whole pixels, rounded down): decoding less would upscale, decoding more wastes
     * time and memory.
     */
    public static int reductionFor(ImageFormat format, List<CropWindow> windows) {
        if (format != ImageFormat.JPEG || windows.isEmpty()) return 1;
        int reduction = 1;
        while (reduction < 8 && serves(windows, reduction * 2)) reduction *= 2;
        return reduction;
    }

    private static boolean serves(List<CropWindow> windows, int reduction) {
        for (CropWindow w : windows) {
            if (w.width() / reduction < w.outWidth() || w.height() / reduction < w.outHeight()) return false;
        }
        return true;
    }

    /**
     * Peak bytes of one decode: the decoded pixels at their stored layout (grey 1, colour 3, with
     * alpha 4 bytes a pixel plus 10 while it is flattened; 16-bit alpha images pass through 8 more), WebP's whole-file read and
     * decoder copy, and the per-variant working images.
     */
    static long decodedBytes(ImageHeader h, int reduction, List<CropWindow> windows) {
        long w = (h.width() + reduction - 1) / reduction;
        long hh = (h.height() + reduction - 1) / reduction;
        long perPixel;
        if (h.hasAlpha()) perPixel = h.sixteenBit() ? 22 : 14;
        else perPixel = h.grey() ? 1 : 3;
        long pixels = w * hh * perPixel;
        if (h.format() == ImageFormat.WEBP) pixels *= 2;
        long outputs = 0;
        for (CropWindow win : windows) outputs = Math.max(outputs, (long) win.outWidth() * win.outHeight() * 4 * 3);
        return pixels + outputs;
    }

    /** Header, guard, windows and decode scale for one source. */
    public Plan plan(Path file, FocalPoint focal, SubjectBox box, List<CropSpec> specs) throws ImageException {
        ImageHeader header = checkedHeader(file);
        List<CropWindow> windows = windows(header.orientedWidth(), header.orientedHeight(), focal, box, specs);
        return new Plan(file, header, List.copyOf(specs), List.copyOf(windows), reductionFor(header.format(), windows));
    }

    public Cut cut(Path file, FocalPoint focal, SubjectBox box, List<CropSpec> specs) throws ImageException {
        return cut(plan(file, focal, box, specs));
    }

    /** Decodes the source once and cuts every window of the plan from it. */
    public Cut cut(Plan plan) throws ImageException {
        int w = plan.sourceWidth();
        int h = plan.sourceHeight();
        try (Raster raster = codec.decode(plan.file(), plan.header(), plan.reduction())) {
            // reduced decodes round their size up: map windows by the real ratio
            double sx = (double) raster.width() / w;
            double sy = (double) raster.height() / h;
            List<Variant> variants = new ArrayList<>(plan.specs().size());
            for (int i = 0; i < plan.specs().size(); i++) {
                CropWindow win = plan.windows().get(i);
                int x = Math.min(raster.width() - 1, (int) Math.floor(win.x() * sx));
                int y = Math.min(raster.height() - 1, (int) Math.floor(win.y() * sy));
                int cw = Math.max(1, Math.min(raster.width() - x, (int) Math.round(win.width() * sx)));
                int ch = Math.max(1, Math.min(raster.height() - y, (int) Math.round(win.height() * sy)));
                byte[] jpeg = codec.cutScaleEncode(raster, x, y, cw, ch, win.outWidth(), win.outHeight(),
                        plan.specs().get(i).quality());
                variants.add(new Variant(plan.specs().get(i), win, jpeg));
            }
            return new Cut(w, h, variants);
        }
    }

    public String libraryMajorVersion() {
        return codec.libraryMajorVersion();
    }
}
