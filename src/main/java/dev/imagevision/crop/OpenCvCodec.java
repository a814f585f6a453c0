package dev.imagevision.crop;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;

import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.DataBufferByte;
import java.awt.image.WritableRaster;
import java.nio.ByteBuffer;
import java.nio.file.Path;

import static org.bytedeco.opencv.global.opencv_core.CV_16U;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.ROTATE_180;
import static org.bytedeco.opencv.global.opencv_core.ROTATE_90_CLOCKWISE;
import static org.bytedeco.opencv.global.opencv_core.ROTATE_90_COUNTERCLOCKWISE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_GRAYSCALE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_IGNORE_ORIENTATION;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_2;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_4;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_8;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_GRAYSCALE_2;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_GRAYSCALE_4;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_GRAYSCALE_8;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_UNCHANGED;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_OPTIMIZE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_420;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGRA2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_GRAY2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * {@link ImageCodec} on OpenCV (libjpeg-turbo, libpng, libwebp) through the bytedeco bindings.
 *
 * <p>Decoding keeps the pixels as stored and as small as they come: JPEGs are reduced in the DCT,
 * grey images stay one channel, transparency is flattened at once onto a background chosen from the
 * image ({@link #background}), so a transparent sky never turns into flat black in a variant. Conversion to
 * 3-channel 8-bit, the EXIF turn and, for sources with a non-sRGB colour profile, the conversion to
 * sRGB happen per variant on the already-small output.
 */
public final class OpenCvCodec implements ImageCodec {
    /**
     * Library and major version, plus the revision of how we use it (bump it when the same inputs
     * would give other bytes): part of the variant cache key. A compile-time constant, so reading it
     * loads no native code.
     */
    private static final String LIBRARY = "opencv-" + opencv_core.CV_VERSION_MAJOR + "+cut3";

    private static volatile boolean nativesLoaded;

    /** Cheap: the native libraries load on the first decode, so a run with nothing to cut never loads them. */
    public OpenCvCodec() {}

    /**
     * JavaCPP's class initialisers load native libraries under a lock of their own: a thread initialising
     * {@code opencv_core} while another initialises {@code Pointer} deadlocks (seen once when cutting and
     * judging threads first touched OpenCV at the same moment). Initialised here in order, on one thread.
     */
    @Override
    public void loadNatives() {
        if (nativesLoaded) return;
        synchronized (OpenCvCodec.class) {
            if (nativesLoaded) return;
            ClassLoader loader = OpenCvCodec.class.getClassLoader();
            for (String c : new String[] {"org.bytedeco.javacpp.Pointer", "org.bytedeco.javacpp.BytePointer",
                    "org.bytedeco.opencv.global.opencv_core", "org.bytedeco.opencv.global.opencv_imgproc",
                    "org.bytedeco.opencv.global.opencv_imgcodecs", "org.bytedeco.opencv.global.opencv_dnn"}) {
                try {
                    Class.forName(c, true, loader);
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException("OpenCV is not on the class path: " + c, e);
                }
            }
            nativesLoaded = true;
        }
    }

    @Override
    public String libraryMajorVersion() {
        return LIBRARY;
    }

    @Override
    public Raster decode(Path file, ImageHeader header, int reduction) throws ImageException {
        if (header.format() == ImageFormat.JPEG) JpegEnd.requireComplete(file);
        int r = header.format() == ImageFormat.JPEG ? reduction : 1;
        // parallelism comes from working on several images at once; one thread per image keeps memory predictable
        opencv_core.setNumThreads(1);
        Mat decoded;
        try {
            decoded = imread(file.toString(), flags(header, r));
        } catch (RuntimeException e) {
            throw new ImageException("cannot decode " + header.format() + ": " + firstLine(e.getMessage()), e);
        }
        Mat pixels = checked(decoded, header, r);
        // grey and CMYK sources come out of the decoder as they are meant to be seen; an RGB profile may need converting
        ColorConvertOp toSrgb = header.grey() || header.cmyk() ? null : IccProfile.toSrgb(IccProfile.read(file, header.format()));
        return new MatRaster(pixels, header.orientation(), toSrgb);
    }

    /**
     * Decodes bytes to an oriented 8-bit BGR Mat (transparency flattened onto {@link #background}); the caller closes it. For
     * whole-image analysis, where the full oriented picture is wanted.
     */
    public Mat decodeBgr(byte[] bytes, ImageHeader header, int reduction) throws ImageException {
        if (header.format() == ImageFormat.JPEG && !JpegEnd.endsWithEndMarker(ByteBuffer.wrap(bytes))
                && !JpegEnd.reachesEndMarker(ByteBuffer.wrap(bytes))) {
            throw new ImageException("truncated JPEG: the image data stops before its end marker "
                    + "(the file was cut short; download or export it again)");
        }
        int r = header.format() == ImageFormat.JPEG ? reduction : 1;
        Mat stored = null;
        if (r == 8) {
            // at 1/8 scale a pixel is its block's DC coefficient: a progressive file's AC scans need not be read
            byte[] dcOnly = DcScans.keepDc(bytes);
            if (dcOnly != bytes) {
                try {
                    stored = checked(imdecode(dcOnly, header, r), header, r);
                } catch (ImageException e) {
                    stored = null; // the file as it is decides (and names) what is wrong with it
                }
            }
        }
        if (stored == null) stored = checked(imdecode(bytes, header, r), header, r);
        try {
            Mat bgr = toBgr(stored);
            if (bgr != stored) stored.close();
            Mat oriented = orient(bgr, header.orientation());
            if (oriented != bgr) bgr.close();
            return oriented;
        } catch (RuntimeException e) {
            stored.close();
            throw new ImageException("cannot convert " + header.format() + " pixels: " + firstLine(e.getMessage()), e);
        }
    }

    private static Mat imdecode(byte[] bytes, ImageHeader header, int reduction) throws ImageException {
        try (BytePointer data = new BytePointer(bytes); Mat buf = new Mat(1, bytes.length, CV_8U, data)) {
            return opencv_imgcodecs.imdecode(buf, flags(header, reduction));
        } catch (RuntimeException e) {
            throw new ImageException("cannot decode " + header.format() + ": " + firstLine(e.getMessage()), e);
        }
    }

    /** imread flags: as small as the header allows, never turned (we turn the small outputs ourselves). */
    static int flags(ImageHeader h, int reduction) {
        if (h.hasAlpha()) return IMREAD_UNCHANGED; // keeps alpha (and depth); never applies orientation
        if (h.format() == ImageFormat.JPEG) {
            int f = switch (reduction) {
                case 2 -> h.grey() ? IMREAD_REDUCED_GRAYSCALE_2 : IMREAD_REDUCED_COLOR_2;
                case 4 -> h.grey() ? IMREAD_REDUCED_GRAYSCALE_4 : IMREAD_REDUCED_COLOR_4;
                case 8 -> h.grey() ? IMREAD_REDUCED_GRAYSCALE_8 : IMREAD_REDUCED_COLOR_8;
                default -> h.grey() ? IMREAD_GRAYSCALE : IMREAD_COLOR;
            };
            return f | IMREAD_IGNORE_ORIENTATION;
        }
        // without IMREAD_ANYDEPTH, 16-bit samples come out 8-bit and palettes expanded
        return (h.grey() ? IMREAD_GRAYSCALE : IMREAD_COLOR) | IMREAD_IGNORE_ORIENTATION;
    }

    /** The decoded Mat, checked against the header and brought to 8-bit 1 or 3 channels (transparency flattened). */
    private static Mat checked(Mat decoded, ImageHeader header, int reduction) throws ImageException {
        if (decoded == null || decoded.empty()) {
            if (decoded != null) decoded.close();
            throw new ImageException("cannot decode " + header.format() + " (corrupt or truncated data)");
        }
        int expectW = (header.width() + reduction - 1) / reduction;
        int expectH = (header.height() + reduction - 1) / reduction;
        if (decoded.cols() != expectW || decoded.rows() != expectH) {
            String got = decoded.cols() + "x" + decoded.rows();
            decoded.close();
            throw new ImageException("decoded " + got + " pixels where the header says " + expectW + "x" + expectH
                    + " (the file changed while it was read, or its header lies)");
        }
        try {
            return normalise(decoded);
        } catch (RuntimeException e) {
            decoded.close();
            throw new ImageException("cannot convert " + header.format() + " pixels: " + firstLine(e.getMessage()), e);
        }
    }

    /** 16-bit → 8-bit, grey+alpha → BGRA, then flattened onto {@link #background} as BGR; consumes {@code m}. */
    static Mat normalise(Mat m) {
        Mat cur = m;
        if (cur.depth() != CV_8U) {
            Mat eight = new Mat();
            cur.convertTo(eight, CV_8U, cur.depth() == CV_16U ? 1.0 / 257.0 : 1.0, 0);
            cur.close();
            cur = eight;
        }
        if (cur.channels() == 2) { // grey + alpha, should the decoder hand it over as such
            Mat bgra = new Mat();
            try (MatVector parts = new MatVector()) {
                opencv_core.split(cur, parts);
                try (MatVector four = new MatVector(parts.get(0), parts.get(0), parts.get(0), parts.get(1))) {
                    opencv_core.merge(four, bgra);
                }
            }
            cur.close();
            cur = bgra;
        }
        if (cur.channels() == 4) {
            Mat flat = flatten(cur);
            cur.close();
            cur = flat;
        }
        if (cur.channels() != 1 && cur.channels() != 3 && cur.channels() != 4) {
            int ch = cur.channels();
            cur.close();
            throw new IllegalStateException("unsupported channel count " + ch);
        }
        return cur;
    }

    /** Opaque content whose brightness spreads less than this (standard deviation, 0–255) is one colour: a logo, a glyph. */
    static final double ONE_COLOUR = 24;

    /**
     * The colour transparent pixels are flattened onto, as B, G, R: the mean colour of the fully
     * opaque pixels, so a cut-out photograph (a panorama with its sky removed) continues in its own
     * tone; but where the opaque content is nearly one colour (a logo, a glyph), a background of that
     * colour would hide it, so then white behind dark content and a dark grey (48) behind light.
     * With no opaque pixel at all, white.
     */
    static int[] background(byte[] bgra) {
        double b = 0, g = 0, r = 0, l = 0, ll = 0;
        long n = 0;
        for (int i = 0; i + 3 < bgra.length; i += 4) {
            if ((bgra[i + 3] & 0xFF) != 255) continue;
            int cb = bgra[i] & 0xFF, cg = bgra[i + 1] & 0xFF, cr = bgra[i + 2] & 0xFF;
            double y = 0.114 * cb + 0.587 * cg + 0.299 * cr;
            b += cb;
            g += cg;
            r += cr;
            l += y;
            ll += y * y;
            n++;
        }
        if (n == 0) return new int[] {255, 255, 255};
        double mean = l / n;
        double spread = Math.sqrt(Math.max(0, ll / n - mean * mean));
        if (spread < ONE_COLOUR) return mean < 128 ? new int[] {255, 255, 255} : new int[] {48, 48, 48};
        return new int[] {(int) Math.round(b / n), (int) Math.round(g / n), (int) Math.round(r / n)};
    }

    /** An 8-bit BGRA Mat composited onto {@link #background} as 3-channel BGR. */
    static Mat flatten(Mat bgra) {
        int w = bgra.cols(), h = bgra.rows();
        byte[] px = new byte[w * h * 4];
        try (Mat c = bgra.isContinuous() ? null : bgra.clone()) {
            (c == null ? bgra : c).data().get(px);
        }
        int[] bg = background(px);
        byte[] out = new byte[w * h * 3];
        for (int i = 0, o = 0; i < px.length; i += 4, o += 3) {
            int a = px[i + 3] & 0xFF;
            for (int k = 0; k < 3; k++) {
                out[o + k] = (byte) (((px[i + k] & 0xFF) * a + bg[k] * (255 - a) + 127) / 255);
            }
        }
        Mat m = new Mat(h, w, CV_8UC3);
        m.data().put(out);
        return m;
    }

    /**
     * The oriented alpha channel of an image with transparency, 8-bit, at the given reduction's size,
     * or null when the image has none; the caller closes it. What is transparent is not subject.
     */
    public Mat decodeAlpha(byte[] bytes, ImageHeader header) throws ImageException {
        if (!header.hasAlpha()) return null;
        Mat stored = imdecode(bytes, header, 1);
        if (stored == null || stored.empty() || (stored.channels() != 4 && stored.channels() != 2)) {
            if (stored != null) stored.close();
            return null;
        }
        try {
            Mat alpha = new Mat();
            opencv_core.extractChannel(stored, alpha, stored.channels() - 1);
            if (alpha.depth() != CV_8U) {
                Mat eight = new Mat();
                alpha.convertTo(eight, CV_8U, alpha.depth() == CV_16U ? 1.0 / 257.0 : 1.0, 0);
                alpha.close();
                alpha = eight;
            }
            Mat oriented = orient(alpha, header.orientation());
            if (oriented != alpha) alpha.close();
            return oriented;
        } catch (RuntimeException e) {
            throw new ImageException("cannot read the transparency of " + header.format() + ": " + firstLine(e.getMessage()), e);
        } finally {
            stored.close();
        }
    }

    /** A normalised Mat as 3-channel BGR: returns {@code m} itself when it already is. */
    private static Mat toBgr(Mat m) {
        if (m.channels() == 3) return m;
        Mat out = new Mat();
        cvtColor(m, out, m.channels() == 1 ? COLOR_GRAY2BGR : COLOR_BGRA2BGR); // alpha already applied
        return out;
    }

    /** The stored image turned as EXIF orientation says: returns {@code m} itself for orientation 1. */
    static Mat orient(Mat m, int orientation) {
        if (orientation < 2 || orientation > 8) return m;
        Mat out = new Mat();
        switch (orientation) {
            case 2 -> opencv_core.flip(m, out, 1);
            case 3 -> opencv_core.rotate(m, out, ROTATE_180);
            case 4 -> opencv_core.flip(m, out, 0);
            case 5 -> opencv_core.transpose(m, out);
            case 6 -> opencv_core.rotate(m, out, ROTATE_90_CLOCKWISE);
            case 7 -> {
                try (Mat t = new Mat()) {
                    opencv_core.transpose(m, t);
                    opencv_core.flip(t, out, -1);
                }
            }
            default -> opencv_core.rotate(m, out, ROTATE_90_COUNTERCLOCKWISE);
        }
        return out;
    }

    @Override
    public byte[] cutScaleEncode(Raster raster, int x, int y, int w, int h, int outW, int outH, int quality)
            throws ImageException {
        MatRaster r = (MatRaster) raster;
        if (x < 0 || y < 0 || w < 1 || h < 1 || x + w > r.width() || y + h > r.height()) {
            throw new ImageException("crop window " + x + "," + y + " " + w + "x" + h + " outside decoded image "
                    + r.width() + "x" + r.height());
        }
        int[] s = ExifOrientation.storedRect(r.orientation, r.stored.cols(), r.stored.rows(), x, y, w, h);
        boolean swap = ExifOrientation.swapsAxes(r.orientation);
        int scaledW = swap ? outH : outW;
        int scaledH = swap ? outW : outH;
        try (Rect rect = new Rect(s[0], s[1], s[2], s[3]); Mat roi = new Mat(r.stored, rect); Mat scaled = new Mat();
             BytePointer out = new BytePointer();
             IntPointer params = new IntPointer(IMWRITE_JPEG_QUALITY, quality, IMWRITE_JPEG_OPTIMIZE, 1,
                     IMWRITE_JPEG_SAMPLING_FACTOR, IMWRITE_JPEG_SAMPLING_FACTOR_420)) {
            Mat cur = roi;
            if (scaledW != s[2] || scaledH != s[3]) {
                try (Size size = new Size(scaledW, scaledH)) {
                    resize(roi, scaled, size, 0, 0, INTER_AREA);
                }
                cur = scaled;
            }
            Mat bgr = toBgr(cur);
            Mat oriented = orient(bgr, r.orientation);
            Mat srgb = r.toSrgb == null ? oriented : convert(oriented, r.toSrgb);
            try {
                if (!imencode(".jpg", srgb, out, params)) throw new ImageException("JPEG encoder refused the image");
            } finally {
                if (srgb != oriented) srgb.close();
                if (oriented != bgr) oriented.close();
                if (bgr != cur) bgr.close();
            }
            byte[] bytes = new byte[(int) out.limit()];
            out.get(bytes);
            return bytes;
        } catch (RuntimeException e) {
            throw new ImageException("cannot cut variant: " + firstLine(e.getMessage()), e);
        }
    }

    /** A small BGR image through a colour conversion (the JDK's LittleCMS): OpenCV's BGR is AWT's 3BYTE_BGR. */
    static Mat convert(Mat bgr, ColorConvertOp op) {
        int w = bgr.cols();
        int h = bgr.rows();
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        byte[] in = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        try (Mat continuous = bgr.isContinuous() ? null : bgr.clone()) {
            (continuous == null ? bgr : continuous).data().get(in);
        }
        WritableRaster converted = img.getRaster().createCompatibleWritableRaster();
        op.filter(img.getRaster(), converted);
        Mat out = new Mat(h, w, CV_8UC3);
        out.data().put(((DataBufferByte) converted.getDataBuffer()).getData());
        return out;
    }

    private static String firstLine(String s) {
        return s == null ? "unknown error" : s.lines().findFirst().orElse(s);
    }

    /** A stored-orientation Mat as a {@link Raster} of its oriented size, with the conversion its profile needs. */
    static final class MatRaster implements Raster {
        final Mat stored;
        final int orientation;
        final ColorConvertOp toSrgb;

        MatRaster(Mat stored, int orientation, ColorConvertOp toSrgb) {
            this.stored = stored;
            this.orientation = orientation;
            this.toSrgb = toSrgb;
        }

        @Override
        public int width() {
            return ExifOrientation.swapsAxes(orientation) ? stored.rows() : stored.cols();
        }

        @Override
        public int height() {
            return ExifOrientation.swapsAxes(orientation) ? stored.cols() : stored.rows();
        }

        @Override
        public void close() {
            stored.close();
        }
    }
}
