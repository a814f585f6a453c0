package dev.imagevision.vision.local;

import dev.imagevision.crop.ImageException;
import dev.imagevision.crop.ImageHeader;
import dev.imagevision.crop.OpenCvCodec;
import dev.imagevision.crop.VariantCutter;
import dev.imagevision.vision.Category;
import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.ImageContext;
import dev.imagevision.vision.Judgement;
import dev.imagevision.vision.ProviderException;
import dev.imagevision.vision.Scored;
import dev.imagevision.vision.SubjectBox;
import dev.imagevision.vision.Usage;
import dev.imagevision.vision.VisionProvider;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.RectVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.CascadeClassifier;
import org.bytedeco.opencv.opencv_saliency.StaticSaliencySpectralResidual;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.equalizeHist;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * The offline provider: no network, no key, deterministic, free. It measures what it can
 * (faces, saliency, brightness, sharpness, flat colour) and never claims what it cannot know;
 * {@code subject_match} is always true because it cannot know what mission a frame should show.
 */
public final class LocalProvider implements VisionProvider {
    /** Bump when the algorithm changes what it answers: it invalidates cached local scores. */
    public static final String VERSION = "local-1";
    public static final String MODEL = "imagevision-local";
    static final int ANALYSIS_EDGE = 512;
    private static final String CASCADE =
            "/org/bytedeco/opencv/linux-x86_64/share/opencv4/lbpcascades/lbpcascade_frontalface_improved.xml";

    private final long maxInputPixels;
    private final ThreadLocal<CascadeClassifier> faces;
    private final ThreadLocal<StaticSaliencySpectralResidual> saliency;

    public LocalProvider(long maxInputPixels) {
        this.maxInputPixels = maxInputPixels;
        File cascade = cascadeFile();
        this.faces = ThreadLocal.withInitial(() -> {
            CascadeClassifier c = new CascadeClassifier(cascade.getAbsolutePath());
            if (c.empty()) throw new IllegalStateException("face cascade did not load from " + cascade);
            return c;
        });
        this.saliency = ThreadLocal.withInitial(StaticSaliencySpectralResidual::new);
    }

    private static File cascadeFile() {
        try {
            return Loader.cacheResource(CASCADE);
        } catch (IOException e) {
            throw new IllegalStateException("the face cascade is missing from the OpenCV jar: " + CASCADE, e);
        }
    }

    @Override
    public String id() {
        return "local";
    }

    @Override
    public String model() {
        return MODEL;
    }

    @Override
    public String promptVersion() {
        return VERSION;
    }

    @Override
    public Scored judge(Path image, ImageContext context) throws ProviderException {
        try {
            ImageHeader header = ImageHeader.read(image);
            VariantCutter.guard(header, maxInputPixels);
            int reduction = 1;
            if (header.format() == dev.imagevision.crop.ImageFormat.JPEG) {
                int longEdge = Math.max(header.width(), header.height());
                while (reduction < 8 && longEdge / (reduction * 2) >= ANALYSIS_EDGE) reduction *= 2;
            }
            byte[] bytes = Files.readAllBytes(image);
            try (Mat bgr = small(OpenCvCodec.decodeBgr(bytes, header, reduction))) {
                Evidence ev = measure(bgr);
                return new Scored(Judge.judgement(ev, header.orientedWidth(), header.orientedHeight()), Usage.FREE);
            }
        } catch (ImageException e) {
            throw new ProviderException(e.getMessage(), false, e);
        } catch (IOException e) {
            throw new ProviderException("cannot read image: " + e.getMessage(), false, e);
        } catch (RuntimeException e) {
            throw new ProviderException("local analysis failed: " + e.getMessage(), false, e);
        }
    }

    /** Scales the decoded image so its long edge is at most {@link #ANALYSIS_EDGE}; consumes the input. */
    private static Mat small(Mat bgr) {
        int longEdge = Math.max(bgr.cols(), bgr.rows());
        if (longEdge <= ANALYSIS_EDGE) return bgr;
        double s = (double) ANALYSIS_EDGE / longEdge;
        Mat out = new Mat();
        try (Size size = new Size(Math.max(1, (int) Math.round(bgr.cols() * s)), Math.max(1, (int) Math.round(bgr.rows() * s)))) {
            resize(bgr, out, size, 0, 0, INTER_AREA);
        }
        bgr.close();
        return out;
    }

    private Evidence measure(Mat bgr) {
        int w = bgr.cols();
        int h = bgr.rows();
        try (Mat gray = new Mat(); Mat eq = new Mat(); RectVector found = new RectVector()) {
            cvtColor(bgr, gray, COLOR_BGR2GRAY);
            equalizeHist(gray, eq);
            int minFace = Math.max(20, Math.min(w, h) / 16);
            try (Size min = new Size(minFace, minFace); Size max = new Size()) {
                faces.get().detectMultiScale(eq, found, 1.1, 6, 0, min, max);
            }
            Evidence.Box[] faceBoxes = new Evidence.Box[(int) found.size()];
            for (int i = 0; i < faceBoxes.length; i++) {
                Rect r = found.get(i);
                faceBoxes[i] = new Evidence.Box((double) r.x() / w, (double) r.y() / h, (double) r.width() / w,
                        (double) r.height() / h);
            }
            float[] sal = saliencyMap(gray);
            return Evidence.from(bgr, gray, sal, faceBoxes);
        }
    }

    private float[] saliencyMap(Mat gray) {
        try (Mat map = new Mat()) {
            if (!saliency.get().computeSaliency(gray, map) || map.empty()) return new float[0];
            float[] out = new float[map.cols() * map.rows()];
            try (Mat f = new Mat()) {
                map.convertTo(f, org.bytedeco.opencv.global.opencv_core.CV_32F);
                java.nio.FloatBuffer values = f.createBuffer();
                values.get(out);
            }
            return out;
        }
    }

    /** Turns evidence into the judgement fields. Pure, so it is tested without images. */
    static final class Judge {
        private Judge() {}

        static Judgement judgement(Evidence ev, int width, int height) {
            Category category = ev.category();
            FocalPoint focal = ev.focalPoint();
            SubjectBox box = ev.subjectBox();
            if (!box.contains(focal)) {
                focal = FocalPoint.of(Math.max(box.x(), Math.min(box.x() + box.w(), focal.x())),
                        Math.max(box.y(), Math.min(box.y() + box.h(), focal.y())));
            }
            int score = ev.score(width, height);
            return new Judgement(score, ev.sentence(category), category, focal, box, true, null);
        }
    }
}
