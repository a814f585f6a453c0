package dev.imagevision.vision.local;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_imgproc.LineSegmentDetector;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgproc.createLineSegmentDetector;
import static org.bytedeco.opencv.global.opencv_imgproc.line;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;

class MeasureTest {

    static int[] luma(Mat gray) {
        return Measure.bytes(gray);
    }

    @Test
    void starsOnBlackArePointSourcesAndFlatGreyHasNone() {
        try (Mat sky = new Mat(300, 400, CV_8UC1, new Scalar(0.0)); Mat grey = new Mat(300, 400, CV_8UC1, new Scalar(128.0))) {
            for (int i = 0; i < 30; i++) sky.ptr(10 + (i * 37) % 280, 10 + (i * 53) % 380).put((byte) 200);
            assertThat(Measure.pointSources(sky, luma(sky), 400, 300)).isCloseTo(30 * 10_000.0 / 120_000, org.assertj.core.api.Assertions.within(0.5));
            assertThat(Measure.pointSources(grey, luma(grey), 400, 300)).isZero();
        }
    }

    @Test
    void longStraightSegmentsAreMeasuredInLongEdgesAndShortOnesIgnored() {
        LineSegmentDetector lsd = createLineSegmentDetector();
        try (Mat drawn = new Mat(300, 400, CV_8UC1, new Scalar(0.0)); Mat dots = new Mat(300, 400, CV_8UC1, new Scalar(0.0))) {
            rectangle(drawn, new Rect(0, 0, 200, 300), new Scalar(220.0), -1, 8, 0); // one edge, 300 px long
            for (int i = 0; i < 20; i++) line(dots, new Point(20 + i * 18, 150), new Point(24 + i * 18, 150), new Scalar(220.0), 1, 8, 0);
            assertThat(Measure.straightLines(drawn, lsd).total()).isCloseTo(300 / 400.0, org.assertj.core.api.Assertions.within(0.1));
            assertThat(Measure.straightLines(dots, lsd).total()).isZero();
        }
    }

    @Test
    void theBrightBlobOfADarkFrameIsTheDiskAndGroupsItsCompanion() {
        try (Mat m = new Mat(400, 400, CV_8UC1, new Scalar(0.0))) {
            org.bytedeco.opencv.global.opencv_imgproc.circle(m, new Point(250, 250), 100, new Scalar(200.0), -1, 8, 0);
            org.bytedeco.opencv.global.opencv_imgproc.circle(m, new Point(60, 60), 30, new Scalar(150.0), -1, 8, 0);
            Measure.Blob b = Measure.brightBlob(m);
            assertThat(b.fill()).isCloseTo(Math.PI / 4, org.assertj.core.api.Assertions.within(0.03));
            assertThat(b.touchesEdge()).isFalse();
            assertThat(b.group().x()).isCloseTo(30 / 400.0, org.assertj.core.api.Assertions.within(0.01));
            assertThat(b.group().x() + b.group().w()).isCloseTo(351 / 400.0, org.assertj.core.api.Assertions.within(0.01));
        }
    }
}
