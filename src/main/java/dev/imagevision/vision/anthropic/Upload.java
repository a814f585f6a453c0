package dev.imagevision.vision.anthropic;

import dev.imagevision.crop.ImageException;
import dev.imagevision.crop.ImageFormat;
import dev.imagevision.crop.ImageHeader;
import dev.imagevision.crop.OpenCvCodec;
import dev.imagevision.crop.VariantCutter;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * The bytes sent for one image. The media type comes from the bytes, never the name. An image
 * larger than the model uses (long edge over the configured limit, or over the ~1.15 megapixels
 * the API scales everything down to) is downscaled here and re-encoded as JPEG, which cuts upload
 * time and input tokens; so is an image whose EXIF orientation is not upright, so the coordinates
 * the model returns refer to the image as it is shown. SVG is never sent.
 *
 * @param width  the width of the image as sent (after orientation and scaling)
 * @param height the height of the image as sent
 */
public record Upload(byte[] bytes, String mediaType, int width, int height, boolean reencoded) {

    /** The API scales images above about 1.15 megapixels down anyway; sending more only costs time. */
    static final long API_MAX_PIXELS = 1_150_000;
    /** The API refuses images over 5 MB; stay clearly below it. */
    static final long MAX_BYTES = 3_750_000;
    static final int JPEG_QUALITY = 85;

    /** The size to send (oriented), pure: never upscaled, long edge ≤ maxEdge, pixels ≤ the API's. */
    static int[] target(int width, int height, int maxEdge, long maxPixels) {
        double scale = Math.min(1.0, (double) maxEdge / Math.max(width, height));
        double pixels = (double) width * height * scale * scale;
        if (pixels > maxPixels) scale *= Math.sqrt(maxPixels / pixels);
        int w = Math.max(1, (int) Math.floor(width * scale));
        int h = Math.max(1, (int) Math.floor(height * scale));
        return new int[] {w, h};
    }

    /** The DCT shrink-on-load (1, 2, 4, 8) that still leaves at least the target size, pure. */
    static int reduction(ImageFormat format, int width, int targetWidth) {
        if (format != ImageFormat.JPEG) return 1;
        int r = 1;
        while (r < 8 && width / (r * 2) >= targetWidth) r *= 2;
        return r;
    }

    public static Upload prepare(Path file, int maxEdge, long maxInputPixels, OpenCvCodec codec) throws ImageException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".svg") || name.endsWith(".svgz")) throw new ImageException("SVG is never sent to the provider");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ImageException("cannot read file: " + e.getMessage(), e);
        }
        if (looksLikeSvg(bytes)) throw new ImageException("the file is SVG/XML text; SVG is never sent to the provider");
        ImageHeader header = ImageHeader.read(file);
        VariantCutter.guard(header, maxInputPixels);
        int w = header.orientedWidth();
        int h = header.orientedHeight();
        int[] t = target(w, h, maxEdge, API_MAX_PIXELS);
        boolean resize = t[0] != w || t[1] != h;
        if (!resize && header.orientation() == 1 && bytes.length <= MAX_BYTES) {
            return new Upload(bytes, header.format().mediaType(), w, h, false);
        }
        int reduction = reduction(header.format(), Math.max(header.width(), header.height()), Math.max(t[0], t[1]));
        try (Mat bgr = codec.decodeBgr(bytes, header, reduction); Mat scaled = new Mat()) {
            Mat out = bgr;
            if (bgr.cols() != t[0] || bgr.rows() != t[1]) {
                try (Size size = new Size(t[0], t[1])) {
                    resize(bgr, scaled, size, 0, 0, INTER_AREA);
                }
                out = scaled;
            }
            return new Upload(jpeg(out), ImageFormat.JPEG.mediaType(), out.cols(), out.rows(), true);
        }
    }

    private static byte[] jpeg(Mat m) throws ImageException {
        try (BytePointer buf = new BytePointer(); IntPointer params = new IntPointer(IMWRITE_JPEG_QUALITY, JPEG_QUALITY)) {
            if (!imencode(".jpg", m, buf, params)) throw new ImageException("JPEG encoder refused the image");
            byte[] out = new byte[(int) buf.limit()];
            buf.get(out);
            return out;
        }
    }

    static boolean looksLikeSvg(byte[] bytes) {
        int n = Math.min(bytes.length, 512);
        String head = new String(bytes, 0, n, StandardCharsets.ISO_8859_1).stripLeading().toLowerCase(Locale.ROOT);
        if (head.startsWith("\ufeff")) head = head.substring(1);
        return head.startsWith("<svg") || head.startsWith("<?xml") && head.contains("<svg");
    }
}
