package dev.imagevision.vision.local;

import dev.imagevision.vision.ImageContext;
import dev.imagevision.vision.Judgement;
import dev.imagevision.vision.ProviderException;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;

/**
 * Frames too small or too thin to analyse get a judgement or one plain line saying why, never
 * OpenCV's multi-line assertion text; a refusal is an image fault, so a warm run does not ask again.
 */
class DegenerateImageTest {
    @TempDir
    static Path dir;
    static LocalProvider provider;

    @BeforeAll
    static void load() {
        provider = new LocalProvider(dev.imagevision.testing.Runs.CODEC, 400_000_000L);
    }

    @ParameterizedTest
    @CsvSource({"1, 1, png", "20000, 10, png", "10, 20000, png", "1, 1, jpg", "20000, 10, jpg", "10, 20000, jpg",
            "2, 3, png", "3000, 2, png", "2, 3000, jpg"})
    void aDegenerateFrameGetsAJudgementOrOneLineImageFault(int w, int h, String ext) throws Exception {
        Path p = dir.resolve(w + "x" + h + "." + ext);
        try (Mat m = new Mat(h, w, CV_8UC3, new Scalar(40, 120, 200, 0))) {
            imwrite(p.toString(), m);
        }
        try {
            Judgement j = provider.judge(p, ImageContext.bare(p.getFileName().toString())).judgement();
            assertThat(j.score()).isBetween(1, 10);
            assertThat(j.subjectBox().contains(j.focalPoint())).isTrue();
        } catch (ProviderException e) {
            assertThat(e.imageFault()).as("a frame that cannot be analysed is the image's fault: remembered, not retried").isTrue();
            assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("OpenCV").doesNotContain("Assertion")
                    .hasSizeLessThan(200);
        }
    }
}
