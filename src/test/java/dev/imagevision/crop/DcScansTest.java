package dev.imagevision.crop;

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
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_IGNORE_ORIENTATION;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_8;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_GRAYSCALE_8;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_RST_INTERVAL;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_SAMPLING_FACTOR_422;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_GRAY2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
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

    /** libjpeg's own 1/8-scale decode of the bytes as they are, with no edit in between. */
    static Mat reference(byte[] jpeg, boolean grey) {
        try (BytePointer data = new BytePointer(jpeg); Mat buf = new Mat(1, jpeg.length, CV_8U, data)) {
            Mat m = imdecode(buf, (grey ? IMREAD_REDUCED_GRAYSCALE_8 : IMREAD_REDUCED_COLOR_8) | IMREAD_IGNORE_ORIENTATION);
            assertThat(m.empty()).isFalse();
            return m;
        }
    }

    static long differentSamples(Mat a, Mat b) {
        assertThat(a.cols()).isEqualTo(b.cols());
        assertThat(a.rows()).isEqualTo(b.rows());
        assertThat(a.channels()).isEqualTo(b.channels());
        try (Mat diff = new Mat()) {
            absdiff(a, b, diff);
            try (Mat one = diff.reshape(1, 0)) {
                return countNonZero(one);
            }
        }
    }

    /** The edited stream is much shorter, and the codec's 1/8 decode (which uses it) equals libjpeg's own. */
    void assertSameAtOneEighth(byte[] original, boolean grey) throws Exception {
        byte[] dc = DcScans.keepDc(original);
        assertThat(dc.length).as("the AC scans of the full-resolution components are gone").isLessThan(original.length * 2 / 3);
        Path a = Files.write(dir.resolve("a.jpg"), original);
        try (Mat full = reference(original, grey); Mat trimmed = reference(dc, grey);
             Mat viaCodec = dev.imagevision.testing.Runs.CODEC.decodeBgr(original, ImageHeader.read(a), 8)) {
            assertThat(differentSamples(full, trimmed)).isZero();
            if (grey) {
                try (Mat bgr = new Mat()) {
                    cvtColor(full, bgr, COLOR_GRAY2BGR);
                    assertThat(differentSamples(bgr, viaCodec)).isZero();
                }
            } else {
                assertThat(differentSamples(full, viaCodec)).isZero();
            }
        }
    }

    void assertSameAtOneEighth(byte[] original) throws Exception {
        assertSameAtOneEighth(original, false);
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
    void aProgressiveFileWithHorizontallySubsampledChromaDecodesToTheSamePixelsAtOneEighth() throws Exception {
        try (Mat m = busy(1001, 603)) {
            assertSameAtOneEighth(jpeg(m, IMWRITE_JPEG_QUALITY, 95, IMWRITE_JPEG_PROGRESSIVE, 1,
                    IMWRITE_JPEG_SAMPLING_FACTOR, IMWRITE_JPEG_SAMPLING_FACTOR_422));
        }
    }

    @Test
    void aGreyProgressiveFileDecodesToTheSamePixelsAtOneEighth() throws Exception {
        try (Mat m = busy(1100, 900); Mat grey = new Mat()) {
            cvtColor(m, grey, COLOR_BGR2GRAY);
            assertSameAtOneEighth(jpeg(grey, IMWRITE_JPEG_QUALITY, 90, IMWRITE_JPEG_PROGRESSIVE, 1), true);
        }
    }

    @Test
    void theProgressiveAndTheBaselineEncodingOfOnePictureGiveTheSameOneEighthPixels() throws Exception {
        try (Mat m = busy(1600, 1200)) {
            byte[] baseline = jpeg(m, IMWRITE_JPEG_QUALITY, 90);
            byte[] progressive = jpeg(m, IMWRITE_JPEG_QUALITY, 90, IMWRITE_JPEG_PROGRESSIVE, 1);
            Path b = Files.write(dir.resolve("b.jpg"), baseline);
            Path p = Files.write(dir.resolve("p.jpg"), progressive);
            try (Mat fromBaseline = dev.imagevision.testing.Runs.CODEC.decodeBgr(baseline, ImageHeader.read(b), 8);
                 Mat fromProgressive = dev.imagevision.testing.Runs.CODEC.decodeBgr(progressive, ImageHeader.read(p), 8)) {
                assertThat(differentSamples(fromBaseline, fromProgressive)).isZero();
            }
        }
    }

    @Test
    void filesItDoesNotFullyUnderstandAreReturnedUntouched() {
        try (Mat m = busy(300, 200)) {
            byte[] baseline = jpeg(m, IMWRITE_JPEG_QUALITY, 90);
            assertThat(DcScans.keepDc(baseline)).isSameAs(baseline);
            byte[] progressive = jpeg(m, IMWRITE_JPEG_QUALITY, 90, IMWRITE_JPEG_PROGRESSIVE, 1);
            assertThat(DcScans.keepDc(progressive)).isNotSameAs(progressive);
            byte[] restarts = jpeg(m, IMWRITE_JPEG_QUALITY, 90, IMWRITE_JPEG_PROGRESSIVE, 1, IMWRITE_JPEG_RST_INTERVAL, 4);
            assertThat(DcScans.keepDc(restarts)).isSameAs(restarts);
            for (int cut = 2; cut < progressive.length - 2; cut += 97) {
                byte[] shorter = Arrays.copyOf(progressive, cut);
                assertThat(DcScans.keepDc(shorter)).as("cut at %d", cut).isSameAs(shorter);
            }
            byte[] notJpeg = {(byte) 0x89, 'P', 'N', 'G'};
            assertThat(DcScans.keepDc(notJpeg)).isSameAs(notJpeg);
            byte[] empty = {};
            assertThat(DcScans.keepDc(empty)).isSameAs(empty);
        }
    }

    @Test
    void aCutProgressiveFileIsStillRefusedAsTruncatedAtOneEighth() throws Exception {
        try (Mat m = busy(1200, 900)) {
            byte[] progressive = jpeg(m, IMWRITE_JPEG_QUALITY, 90, IMWRITE_JPEG_PROGRESSIVE, 1);
            byte[] cut = Arrays.copyOf(progressive, progressive.length * 3 / 4);
            Path c = Files.write(dir.resolve("c.jpg"), cut);
            assertThatThrownBy(() -> dev.imagevision.testing.Runs.CODEC.decodeBgr(cut, ImageHeader.read(c), 8))
                    .isInstanceOf(ImageException.class).hasMessageContaining("truncated");
        }
    }
}
