package dev.imagevision.vision.local;

import dev.imagevision.crop.ImageHeader;
import dev.imagevision.crop.OpenCvCodec;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.absdiff;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_PROGRESSIVE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_444;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;
import static org.bytedeco.opencv.global.opencv_imgproc.circle;
import static org.bytedeco.opencv.global.opencv_imgproc.line;

/** Dropping a progressive JPEG's AC scans must not change a single pixel of its 1/8-scale decode. */
class DcScansTest {
    @TempDir
    Path dir;

    /** A busy picture (random lines and disks in many colours, fixed seed), so every scan carries data. */
    static Mat busy(int w, int h) {
        Mat m = new Mat(h, w, CV_8UC3, new Scalar(30, 20, 10, 0));
        Random r = new Random(11);
        for (int i = 0; i < 300; i++) {
            try (Scalar c = new Scalar(r.nextInt(256), r.nextInt(256), r.nextInt(256), 0);
                 Point a = new Point(r.nextInt(w), r.nextInt(h)); Point b = new Point(r.nextInt(w), r.nextInt(h))) {
                if (i % 3 == 0) circle(m, a, 3 + r.nextInt(40), c, -1, LINE_AA, 0);
                else line(m, a, b, c, 1 + r.nextInt(4), LINE_AA, 0);
            }
        }
        return m;
    }

    static byte[] jpeg(Mat m, int... params) {
        try (BytePointer buf = new BytePointer(); IntPointer p = new IntPointer(params)) {
            assertThat(imencode(".jpg", m, buf, p)).isTrue();
            byte[] out = new byte[(int) buf.limit()];
            buf.get(out);
            return out;
        }
    }

    void assertSameAtOneEighth(byte[] original) throws Exception {
        byte[] dc = DcScans.keepDc(original);
        assertThat(dc.length).as("the AC scans of the full-resolution components are gone").isLessThan(original.length * 2 / 3);
        Path a = dir.resolve("a.jpg");
        Path b = dir.resolve("b.jpg");
        Files.write(a, original);
        Files.write(b, dc);
        try (Mat full = OpenCvCodec.decodeBgr(original, ImageHeader.read(a), 8);
             Mat trimmed = OpenCvCodec.decodeBgr(dc, ImageHeader.read(b), 8); Mat diff = new Mat()) {
            assertThat(trimmed.cols()).isEqualTo(full.cols());
            assertThat(trimmed.rows()).isEqualTo(full.rows());
            absdiff(full, trimmed, diff);
            try (Mat one = diff.reshape(1, 0)) {
                assertThat(countNonZero(one)).isZero();
            }
        }
    }

    @Test
    void aProgressiveFileWithSubsampledChromaDecodesToTheSamePixelsAtOneEighth() throws Exception {
        try (Mat m = busy(1203, 805)) { // not a multiple of the MCU, so the edge blocks are counted right
            assertSameAtOneEighth(jpeg(m, IMWRITE_JPEG_QUALITY, 92, IMWRITE_JPEG_PROGRESSIVE, 1));
        }
    }

    @Test
    void aProgressiveFileWithFullResolutionChromaDecodesToTheSamePixelsAtOneEighth() throws Exception {
        try (Mat m = busy(999, 701)) {
            assertSameAtOneEighth(jpeg(m, IMWRITE_JPEG_QUALITY, 90, IMWRITE_JPEG_PROGRESSIVE, 1,
                    IMWRITE_JPEG_SAMPLING_FACTOR, IMWRITE_JPEG_SAMPLING_FACTOR_444));
        }
    }

    @Test
    void baselineAndMalformedFilesAreReturnedUntouched() {
        try (Mat m = busy(300, 200)) {
            byte[] baseline = jpeg(m, IMWRITE_JPEG_QUALITY, 90);
            assertThat(DcScans.keepDc(baseline)).isSameAs(baseline);
            byte[] progressive = jpeg(m, IMWRITE_JPEG_QUALITY, 90, IMWRITE_JPEG_PROGRESSIVE, 1);
            byte[] cut = Arrays.copyOf(progressive, progressive.length / 2);
            assertThat(DcScans.keepDc(cut)).isSameAs(cut);
            byte[] notJpeg = {(byte) 0x89, 'P', 'N', 'G'};
            assertThat(DcScans.keepDc(notJpeg)).isSameAs(notJpeg);
            byte[] empty = {};
            assertThat(DcScans.keepDc(empty)).isSameAs(empty);
        }
    }
}
