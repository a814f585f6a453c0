package dev.imagevision.crop;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.bytedeco.opencv.global.opencv_core.CV_16U;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_2;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_4;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_8;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_UNCHANGED;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_GRAY2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/** {@link ImageCodec} on OpenCV (libjpeg-turbo, libpng, libwebp) through the bytedeco bindings. */
public final class OpenCvCodec implements ImageCodec {
    /** Library and major version: a compile-time constant, so reading it loads no native code. */
    public static final String LIBRARY = "opencv-" + opencv_core.CV_VERSION_MAJOR;

    public OpenCvCodec() {
        // parallelism comes from working on several images at once; one thread per image keeps memory predictable
        opencv_core.setNumThreads(1);
    }

    @Override
    public String libraryMajorVersion() {
        return LIBRARY;
    }

    @Override
    public Raster decode(Path file, ImageHeader header, int reduction) throws ImageException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ImageException("cannot read file: " + e.getMessage(), e);
        }
        return new MatRaster(decodeBgr(bytes, header, reduction));
    }

    /** Decodes bytes to an oriented 8-bit BGR Mat; the caller closes it. */
    public static Mat decodeBgr(byte[] bytes, ImageHeader header, int reduction) throws ImageException {
        boolean plain = header.format() == ImageFormat.JPEG || !(header.hasAlpha() || header.sixteenBit());
        int flags = IMREAD_COLOR;
        if (header.format() == ImageFormat.JPEG) {
            flags = switch (reduction) {
                case 2 -> IMREAD_REDUCED_COLOR_2;
                case 4 -> IMREAD_REDUCED_COLOR_4;
                case 8 -> IMREAD_REDUCED_COLOR_8;
                default -> IMREAD_COLOR;
            };
        } else if (!plain) {
            flags = IMREAD_UNCHANGED; // keep alpha and depth so we can flatten and scale them ourselves
        }
        Mat decoded;
        try (BytePointer data = new BytePointer(bytes); Mat buf = new Mat(1, bytes.length, CV_8U, data)) {
            decoded = imdecode(buf, flags);
        } catch (RuntimeException e) {
            throw new ImageException("cannot decode " + header.format() + ": " + firstLine(e.getMessage()), e);
        }
        if (decoded == null || decoded.empty()) {
            if (decoded != null) decoded.close();
            throw new ImageException("cannot decode " + header.format() + " (corrupt or truncated data)");
        }
        try {
            return toBgr8(decoded);
        } catch (RuntimeException e) {
            decoded.close();
            throw new ImageException("cannot convert " + header.format() + " pixels: " + firstLine(e.getMessage()), e);
        }
    }

    /** Any decoded Mat (grey, 16-bit, alpha) → 8-bit BGR; consumes {@code m}. */
    static Mat toBgr8(Mat m) {
        Mat cur = m;
        if (cur.depth() == CV_16U) {
            Mat eight = new Mat();
            cur.convertTo(eight, CV_8U, 1.0 / 257.0, 0);
            cur.close();
            cur = eight;
        } else if (cur.depth() != CV_8U) {
            Mat eight = new Mat();
            cur.convertTo(eight, CV_8U);
            cur.close();
            cur = eight;
        }
        int ch = cur.channels();
        if (ch == 3) return cur;
        Mat out = new Mat();
        if (ch == 1) {
            cvtColor(cur, out, COLOR_GRAY2BGR);
        } else if (ch == 4) {
            flattenAlpha(cur, out);
        } else if (ch == 2) { // grey + alpha
            try (MatVector parts = new MatVector()) {
                opencv_core.split(cur, parts);
                try (Mat bgra = new Mat(); MatVector four = new MatVector(parts.get(0), parts.get(0), parts.get(0), parts.get(1))) {
                    opencv_core.merge(four, bgra);
                    flattenAlpha(bgra, out);
                }
            }
        } else {
            cur.close();
            throw new IllegalStateException("unsupported channel count " + ch);
        }
        cur.close();
        return out;
    }

    /** Flattens transparency onto black, the background of almost every space image: out = colour × alpha. */
    private static void flattenAlpha(Mat bgra, Mat out) {
        try (MatVector parts = new MatVector()) {
            opencv_core.split(bgra, parts);
            try (Mat bgr = new Mat(); Mat alpha3 = new Mat();
                 MatVector colour = new MatVector(parts.get(0), parts.get(1), parts.get(2));
                 MatVector alphas = new MatVector(parts.get(3), parts.get(3), parts.get(3))) {
                opencv_core.merge(colour, bgr);
                opencv_core.merge(alphas, alpha3);
                opencv_core.multiply(bgr, alpha3, out, 1.0 / 255.0, -1);
            }
        }
    }

    @Override
    public byte[] cutScaleEncode(Raster raster, int x, int y, int w, int h, int outW, int outH, int quality)
            throws ImageException {
        Mat src = ((MatRaster) raster).mat;
        if (x < 0 || y < 0 || w < 1 || h < 1 || x + w > src.cols() || y + h > src.rows()) {
            throw new ImageException("crop window " + x + "," + y + " " + w + "x" + h + " outside decoded image "
                    + src.cols() + "x" + src.rows());
        }
        try (Rect r = new Rect(x, y, w, h); Mat roi = new Mat(src, r); Mat scaled = new Mat();
             BytePointer out = new BytePointer(); IntPointer params = new IntPointer(IMWRITE_JPEG_QUALITY, quality)) {
            Mat toEncode = roi;
            if (outW != w || outH != h) {
                try (Size size = new Size(outW, outH)) {
                    resize(roi, scaled, size, 0, 0, INTER_AREA);
                }
                toEncode = scaled;
            }
            if (!imencode(".jpg", toEncode, out, params)) throw new ImageException("JPEG encoder refused the image");
            byte[] bytes = new byte[(int) out.limit()];
            out.get(bytes);
            return bytes;
        } catch (RuntimeException e) {
            throw new ImageException("cannot cut variant: " + firstLine(e.getMessage()), e);
        }
    }

    private static String firstLine(String s) {
        return s == null ? "unknown error" : s.lines().findFirst().orElse(s);
    }

    /** A Mat as a {@link Raster}. */
    static final class MatRaster implements Raster {
        final Mat mat;

        MatRaster(Mat mat) {
            this.mat = mat;
        }

        @Override
        public int width() {
            return mat.cols();
        }

        @Override
        public int height() {
            return mat.rows();
        }

        @Override
        public void close() {
            mat.close();
        }
    }
}
