package dev.imagevision.vision.anthropic;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;

/** Small synthetic images for tests, each seed a different picture (so a different content hash). */
public final class TestImages {
    private TestImages() {}

    public static byte[] encode(String ext, int width, int height, int seed) {
        try (Mat m = new Mat(height, width, CV_8UC3, new Scalar(20 + seed % 200, 40 + (seed * 7) % 200, 60 + (seed * 13) % 190, 0));
             Point a = new Point(width / 4, height / 4); Point b = new Point(width * 3 / 4, height * 3 / 4);
             Scalar white = new Scalar(250, 250, 250, 0); BytePointer buf = new BytePointer()) {
            rectangle(m, a, b, white, -1, 8, 0);
            if (!imencode(ext, m, buf)) throw new IllegalStateException("cannot encode " + ext);
            byte[] out = new byte[(int) buf.limit()];
            buf.get(out);
            return out;
        }
    }

    public static Path write(Path file, String ext, int width, int height, int seed) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, encode(ext, width, height, seed));
        return file;
    }
}
