package dev.imagevision.crop;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_UNCHANGED;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

/** Builds test images in memory (OpenCV's and the JDK's encoders) and reads pixels back. */
final class TestImages {
    /** Quadrant colours as BGR: top-left red, top-right green, bottom-left blue, bottom-right yellow. */
    static final int[][] QUADRANTS_BGR = {{30, 30, 230}, {40, 200, 30}, {220, 60, 40}, {40, 220, 240}};

    private TestImages() {}

    /** A {@code w × h} BGR image in four flat quadrants. */
    static Mat quadrants(int w, int h) {
        Mat m = new Mat(h, w, CV_8UC3, new Scalar(0, 0, 0, 0));
        for (int q = 0; q < 4; q++) {
            int x = q % 2 == 0 ? 0 : w / 2;
            int y = q < 2 ? 0 : h / 2;
            int[] c = QUADRANTS_BGR[q];
            try (Rect r = new Rect(x, y, q % 2 == 0 ? w / 2 : w - w / 2, q < 2 ? h / 2 : h - h / 2);
                 Mat part = new Mat(m, r); Scalar s = new Scalar(c[0], c[1], c[2], 0)) {
                part.put(s);
            }
        }
        return m;
    }

    /** Black {@code w × h} with a white box. */
    static Mat brightBoxOnBlack(int w, int h, int bx, int by, int bw, int bh) {
        Mat m = new Mat(h, w, CV_8UC3, new Scalar(0, 0, 0, 0));
        try (Rect r = new Rect(bx, by, bw, bh); Mat part = new Mat(m, r); Scalar s = new Scalar(255, 255, 255, 0)) {
            part.put(s);
        }
        return m;
    }

    static byte[] encode(Mat m, String ext, int... params) {
        try (BytePointer out = new BytePointer(); IntPointer p = new IntPointer(params)) {
            if (!imencode(ext, m, out, p)) throw new IllegalStateException("encoder refused " + ext);
            byte[] b = new byte[(int) out.limit()];
            out.get(b);
            return b;
        }
    }

    static byte[] jpeg(Mat m, int quality) {
        return encode(m, ".jpg", org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY, quality);
    }

    /** Inserts an APP1 Exif segment (big-endian TIFF, one IFD entry: Orientation) right after SOI. */
    static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 12 + 4).order(ByteOrder.BIG_ENDIAN);
        tiff.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8); // header, IFD0 at 8
        tiff.putShort((short) 1); // one entry
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        tiff.putInt(0); // no next IFD
        byte[] exif = new byte[6 + tiff.capacity()];
        System.arraycopy(new byte[] {'E', 'x', 'i', 'f', 0, 0}, 0, exif, 0, 6);
        System.arraycopy(tiff.array(), 0, exif, 6, tiff.capacity());
        int len = exif.length + 2;
        byte[] out = new byte[jpeg.length + 4 + exif.length];
        out[0] = (byte) 0xFF;
        out[1] = (byte) 0xD8;
        out[2] = (byte) 0xFF;
        out[3] = (byte) 0xE1;
        out[4] = (byte) (len >> 8);
        out[5] = (byte) len;
        System.arraycopy(exif, 0, out, 6, exif.length);
        System.arraycopy(jpeg, 2, out, 6 + exif.length, jpeg.length - 2);
        return out;
    }

    /** An 8-bit palette PNG (2 colours), optionally with colour 0 fully transparent (tRNS). */
    static byte[] palettePng(int w, int h, boolean transparentBackground) throws IOException {
        byte[] r = {(byte) 20, (byte) 250};
        byte[] g = {(byte) 40, (byte) 120};
        byte[] b = {(byte) 60, (byte) 10};
        IndexColorModel cm = transparentBackground ? new IndexColorModel(8, 2, r, g, b, 0) : new IndexColorModel(8, 2, r, g, b);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, cm);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.getRaster().setSample(x, y, 0, x < w / 2 ? 0 : 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    /** Decodes bytes as stored (no orientation), any channels. */
    static Mat decode(byte[] bytes) {
        try (BytePointer data = new BytePointer(bytes); Mat buf = new Mat(1, bytes.length, CV_8UC1, data)) {
            return imdecode(buf, IMREAD_UNCHANGED);
        }
    }

    /** The BGR (or grey, repeated) pixel at {@code (x, y)}. */
    static int[] bgr(Mat m, int x, int y) {
        try (UByteIndexer ix = m.createIndexer()) {
            if (m.channels() == 1) {
                int v = ix.get(y, x, 0);
                return new int[] {v, v, v};
            }
            return new int[] {ix.get(y, x, 0), ix.get(y, x, 1), ix.get(y, x, 2)};
        }
    }

    /** Sum of all channel-0 samples: for a grey scene, the "amount of light" that a downscale preserves. */
    static double sum(Mat m) {
        return org.bytedeco.opencv.global.opencv_core.sumElems(m).get(0);
    }

    static Path write(Path dir, String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    static Path resource(String name) {
        return Path.of("src/test/resources/crop").resolve(name);
    }
}
