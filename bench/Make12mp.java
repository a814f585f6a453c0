import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.bytedeco.opencv.global.opencv_core.CV_16SC3;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.add;
import static org.bytedeco.opencv.global.opencv_core.randn;
import static org.bytedeco.opencv.global.opencv_core.setRNGSeed;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_PROGRESSIVE;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_CUBIC;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * Makes the 12-megapixel timing set for {@code bench/local-12mp.sh}: each photo scaled (cubic) to
 * cover 4000 × 3000 and centre-cut, given Gaussian grain of σ 3 and of σ 8 (fixed seed), and saved at
 * quality 90 both baseline and progressive: OUT/grain3|grain8/baseline|progressive/NAME.jpg.
 * Usage: java -cp target/imagevision.jar bench/Make12mp.java OUT PHOTO…
 */
public class Make12mp {
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        for (int i = 1; i < args.length; i++) {
            Path photo = Path.of(args[i]);
            String name = photo.getParent().getFileName() + "-" + photo.getFileName().toString().replaceAll("\\.[^.]*$", "") + ".jpg";
            try (Mat src = imread(photo.toString(), IMREAD_COLOR)) {
                if (src.empty()) throw new IllegalArgumentException("cannot read " + photo);
                double s = Math.max(4000.0 / src.cols(), 3000.0 / src.rows());
                int w = (int) Math.ceil(src.cols() * s), h = (int) Math.ceil(src.rows() * s);
                try (Mat big = new Mat(); Size size = new Size(w, h)) {
                    resize(src, big, size, 0, 0, INTER_CUBIC);
                    try (Rect r = new Rect((w - 4000) / 2, (h - 3000) / 2, 4000, 3000); Mat cut = new Mat(big, r)) {
                        for (int sigma : new int[] {3, 8}) {
                            setRNGSeed(20261123 + sigma);
                            try (Mat noise = new Mat(3000, 4000, CV_16SC3); Mat wide = new Mat(); Mat grainy = new Mat();
                                 Mat mean = new Mat(1, 1, CV_64F, new Scalar(0)); Mat sd = new Mat(1, 1, CV_64F, new Scalar(sigma))) {
                                randn(noise, mean, sd);
                                cut.convertTo(wide, CV_16SC3);
                                add(wide, noise, wide);
                                wide.convertTo(grainy, CV_8UC3);
                                write(grainy, out.resolve("grain" + sigma + "/baseline/" + name), false);
                                write(grainy, out.resolve("grain" + sigma + "/progressive/" + name), true);
                            }
                        }
                    }
                }
            }
        }
    }

    static void write(Mat m, Path file, boolean progressive) throws Exception {
        Files.createDirectories(file.getParent());
        try (BytePointer buf = new BytePointer();
             IntPointer p = new IntPointer(IMWRITE_JPEG_QUALITY, 90, IMWRITE_JPEG_PROGRESSIVE, progressive ? 1 : 0)) {
            if (!imencode(".jpg", m, buf, p)) throw new IllegalStateException("cannot encode " + file);
            byte[] b = new byte[(int) buf.limit()];
            buf.get(b);
            Files.write(file, b);
        }
    }
}
