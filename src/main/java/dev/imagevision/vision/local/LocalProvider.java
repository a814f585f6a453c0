package dev.imagevision.vision.local;

import dev.imagevision.crop.ImageException;
import dev.imagevision.crop.ImageFormat;
import dev.imagevision.crop.ImageHeader;
import dev.imagevision.crop.OpenCvCodec;
import dev.imagevision.crop.VariantCutter;
import dev.imagevision.vision.ImageContext;
import dev.imagevision.vision.Category;
import dev.imagevision.vision.Judgement;
import dev.imagevision.vision.ProviderException;
import dev.imagevision.vision.Scored;
import dev.imagevision.vision.Usage;
import dev.imagevision.vision.VisionProvider;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_imgproc.LineSegmentDetector;
import org.bytedeco.opencv.opencv_saliency.StaticSaliencySpectralResidual;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.LSD_REFINE_STD;
import static org.bytedeco.opencv.global.opencv_imgproc.createLineSegmentDetector;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * The offline provider: no network, no key, deterministic, free. It measures what it can (faces,
 * text, saliency, brightness, colour, texture, point sources, straight lines) and never claims what
 * it cannot know; {@code subject_match} is always true because it cannot know what mission a frame
 * should show.
 */
public final class LocalProvider implements VisionProvider {
    /** Bump when the algorithm changes what it answers: it invalidates cached local scores. */
    /**
     * The rules' version and the shipped category model's CRC-32: what the provider answers depends on
     * both, so both are in the score cache key (a refitted model re-judges once, then is cached).
     */
    public static final String VERSION = "local-7+" + CategoryModel.shippedDigest();
    public static final String MODEL = "imagevision-local";
    /** Analysis images are at most this long; JPEGs are decoded at the DCT scale that gets closest. */
    static final int ANALYSIS_EDGE = 512;
    /** A reduced JPEG decode may stop short of {@link #ANALYSIS_EDGE} down to this, to skip a costlier decode. */
    static final int MIN_DECODE_EDGE = 400;
    /** A JPEG with at most this many well-used colours (of 4096 bins) may be a graphic: look for text. */
    static final int GRAPHIC_COLOURS = 40;

    private final OpenCvCodec codec;
    private final long maxInputPixels;
    private final ThreadLocal<Detectors> detectors;

    /** @param codec the imaging library, built once at the edge and shared (it is stateless) */
    public LocalProvider(OpenCvCodec codec, long maxInputPixels) {
        this.codec = codec;
        this.maxInputPixels = maxInputPixels;
        this.detectors = ThreadLocal.withInitial(LocalProvider::loadDetectors);
    }

    /**
     * OpenCV fills process-wide registries (DNN layer factories) the first time a network is read,
     * without a lock of its own: two threads reading their models at once corrupted the heap
     * (a native crash seen in the kill test). Models are therefore read one thread at a time.
     */
    private static final Object MODEL_LOADING = new Object();

    private static Detectors loadDetectors() {
        synchronized (MODEL_LOADING) {
            return new Detectors();
        }
    }

    /** The models and OpenCV objects one thread uses; none of them is thread-safe. */
    static final class Detectors {
        final BlazeFace faces = new BlazeFace();
        final Appearance appearance = new Appearance();
        final TextDetector text = new TextDetector();
        final StaticSaliencySpectralResidual saliency = new StaticSaliencySpectralResidual();
        // a half-scale pass: long straight segments survive, and it costs half
        final LineSegmentDetector lines = createLineSegmentDetector(LSD_REFINE_STD, 0.5, 0.6, 2.0, 22.5, 0, 0.7, 1024);
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
        Evidence ev = evidence(image);
        return new Scored(Judge.judgement(ev), Usage.FREE);
    }

    /**
     * What was measured on one image, kept so an evaluation can judge it again under other fitted
     * levels without measuring twice. Opaque outside this package.
     */
    public static final class Analysis {
        private final Evidence evidence;

        private Analysis(Evidence evidence) {
            this.evidence = evidence;
        }

        /** The evidence that placed the subject: what the fitted trust level is chosen for. */
        public PlacementTrust.Cue cue() {
            return Judge.cue(evidence);
        }
    }

    /** Measures an image once (the costly part of {@link #judge}). */
    public Analysis analyse(Path image) throws ProviderException {
        return new Analysis(evidence(image));
    }

    /**
     * What the offline provider fits to labelled images: how far each placement cue may move the
     * crop, and the model that learns categories from appearance.
     */
    public record Fitted(PlacementTrust trust, CategoryModel categories) {
        /** What {@link #judge} uses: the shipped levels and the shipped category model. */
        public static Fitted shipped() {
            return new Fitted(PlacementTrust.SHIPPED, CategoryModel.shipped());
        }

        @Override
        public String toString() {
            return trust + "; categories learned from " + categories.trainedOn() + " images";
        }
    }

    /** The judgement of an analysed image under fitted levels; {@link #judge} uses {@link Fitted#shipped()}. */
    public static Judgement judgement(Analysis analysis, Fitted levels) {
        return Judge.judgement(analysis.evidence, levels.trust(), levels.categories());
    }

    /** A category model fitted to analysed images and their labelled categories (with the shipped penalty). */
    public static CategoryModel fitCategories(List<Analysis> analyses, List<Category> truth) {
        if (analyses.isEmpty()) return CategoryModel.untrained();
        return CategoryModel.fit(analyses.stream().map(a -> Judge.categoryFeatures(a.evidence)).toList(), truth, CategoryModel.PENALTY);
    }

    /** Everything measured on one image; the judgement is a pure function of it. */
    Evidence evidence(Path image) throws ProviderException {
        try {
            ImageHeader header = ImageHeader.read(image);
            VariantCutter.guard(header, maxInputPixels);
            String tooSmall = tooSmall(header.orientedWidth(), header.orientedHeight());
            if (tooSmall != null) throw ProviderException.imageFault(tooSmall, null);
            int reduction = reduction(header);
            byte[] bytes = Files.readAllBytes(image);
            opencv_core.setNumThreads(1);
            Evidence.Box opaque = opaque(codec, bytes, header);
            try (Mat bgr = small(codec.decodeBgr(bytes, header, reduction))) {
                return measure(bgr, header.orientedWidth(), header.orientedHeight(), header.format() == ImageFormat.JPEG, detectors.get(), opaque);
            }
        } catch (ImageException e) {
            throw ProviderException.imageFault(e.getMessage(), e);
        } catch (IOException e) {
            throw new ProviderException("cannot read image: " + e.getMessage(), false, e);
        } catch (RuntimeException e) {
            throw new ProviderException("local analysis failed: " + firstLine(e.getMessage()), false, e);
        }
    }

    /** The short edge the analysis needs, in source pixels: less holds no subject, and OpenCV's filters refuse it. */
    static final int MIN_EDGE = 16;
    /** The analysis image's short edge must keep at least this many pixels after scaling to {@link #ANALYSIS_EDGE}. */
    static final int MIN_ANALYSIS_EDGE = 8;

    /** Why a frame of this size cannot be analysed (one line), or null when it can. */
    static String tooSmall(int width, int height) {
        int shortEdge = Math.min(width, height);
        int longEdge = Math.max(width, height);
        if (shortEdge < MIN_EDGE) {
            return String.format(java.util.Locale.ROOT, "image is %dx%d: too small to analyse (each side needs at least %d pixels)",
                    width, height, MIN_EDGE);
        }
        if ((double) shortEdge * ANALYSIS_EDGE / longEdge < MIN_ANALYSIS_EDGE) {
            return String.format(java.util.Locale.ROOT, "image is %dx%d: too thin to analyse (sides more than %d:1 apart)",
                    width, height, ANALYSIS_EDGE / MIN_ANALYSIS_EDGE);
        }
        return null;
    }

    /** OpenCV's messages span lines (file, function, assertion); the first non-blank one says what went wrong. */
    static String firstLine(String message) {
        if (message == null) return "no detail";
        for (String line : message.split("\\R")) {
            if (!line.isBlank()) return line.strip();
        }
        return "no detail";
    }

    /** The largest DCT reduction (1, 2, 4, 8) that leaves the long edge at least {@link #MIN_DECODE_EDGE}. */
    static int reduction(ImageHeader header) {
        if (header.format() != ImageFormat.JPEG) return 1;
        int longEdge = Math.max(header.width(), header.height());
        int r = 1;
        while (r < 8 && longEdge / (r * 2) >= MIN_DECODE_EDGE) r *= 2;
        return r;
    }

    /** Scales the decoded image so its long edge is at most {@link #ANALYSIS_EDGE}; consumes the input. */
    static Mat small(Mat bgr) {
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

    /**
     * @param photoCodec the file is a JPEG: a camera's format, where text is looked for only when the
     *                   frame has few distinct colours as graphics do (slides and charts are mostly
     *                   saved losslessly); it saves the text detector's time on every photograph
     */
    /** Share of transparent pixels (alpha below half) from which the opaque part is where the subject must be. */
    static final double TRANSPARENT = 0.05;

    /**
     * The span (2%–98% quantiles) of the opaque pixels when at least {@link #TRANSPARENT} of the
     * frame is transparent, else null: a cut-out's empty sky or backdrop is never subject.
     */
    static Evidence.Box opaque(OpenCvCodec codec, byte[] bytes, ImageHeader header) throws ImageException {
        if (!header.hasAlpha()) return null;
        try (Mat alpha = codec.decodeAlpha(bytes, header)) {
            if (alpha == null) return null;
            try (Mat s = small(alpha.clone())) {
                int w = s.cols(), h = s.rows();
                byte[] a = new byte[w * h];
                try (Mat c = s.clone()) {
                    ((java.nio.ByteBuffer) c.createBuffer()).get(a);
                }
                double[] weight = new double[a.length];
                int clear = 0;
                for (int i = 0; i < a.length; i++) {
                    if ((a[i] & 0xFF) < 128) clear++;
                    else weight[i] = 1;
                }
                if (clear < TRANSPARENT * a.length || clear == a.length) return null;
                double[] b = Evidence.massBox(weight, w, h, 0.02, 0.98);
                return new Evidence.Box(b[0], b[1], b[2] - b[0], b[3] - b[1]);
            }
        }
    }

    static Evidence measure(Mat bgr, int sourceWidth, int sourceHeight, boolean photoCodec, Detectors d) {
        return measure(bgr, sourceWidth, sourceHeight, photoCodec, d, null);
    }

    static Evidence measure(Mat bgr, int sourceWidth, int sourceHeight, boolean photoCodec, Detectors d, Evidence.Box opaque) {
        int w = bgr.cols();
        int h = bgr.rows();
        try (Mat gray = Measure.gray(bgr)) {
            Measure.Pixels px = Measure.Pixels.of(bgr, gray);
            Evidence.Stats st = Evidence.stats(px);
            List<Evidence.Face> faces = FaceSearch.find(d.faces, bgr, px, st.darkFraction() < FaceSearch.DARK_FRAME);
            // a confirmed face already decides the category, so the text detector's time is saved there
            double textFraction = 0;
            Evidence.Box textBox = null;
            boolean graphicLike = !photoCodec || st.colourCount() <= GRAPHIC_COLOURS;
            if (graphicLike && faces.stream().noneMatch(Judge::confirmed)) {
                TextDetector.TextMap text = d.text.detect(bgr);
                for (float p : text.probability()) if (p > 0.3f) textFraction++;
                textFraction /= text.probability().length;
                textBox = textFraction > 0 ? textBox(text) : null;
            }
            float[] sal = saliency(d.saliency, gray);
            double stars = Measure.pointSources(gray, px.luma(), w, h);
            Measure.Blob blob = Measure.brightBlob(gray);
            Measure.Lines lines = Measure.straightLines(gray, d.lines);
            double[] weight = Subject.weights(px, sal);
            double[] box = Evidence.massBox(weight, w, h, Subject.LOW, Subject.HIGH);
            double[] c = Evidence.centroid(weight, w, h);
            Evidence.Face main = null;
            for (Evidence.Face f : faces) {
                if (Judge.confirmed(f) && (main == null || f.box().area() > main.box().area())) main = f;
            }
            int[] torso = main == null ? null : Evidence.torso(px, main.box());
            return new Evidence(w, h, sourceWidth, sourceHeight, faces, textFraction, textBox,
                    st.meanLuma(), st.darkFraction(), st.blackFraction(), st.clippedHigh(), st.clippedLow(),
                    st.whiteFraction(), st.meanSaturation(), st.syntheticHue(), st.warmFraction(), st.flatFraction(),
                    st.dominantShare(), st.colourCount(), st.sharpness(), st.edgeDensity(), st.verticality(), st.skyTop(),
                    st.groundContrast(), stars, blob, lines, st.borderSpread(), st.borderLuma(), st.hot(), Evidence.figure(px),
                    new Evidence.Box(box[0], box[1], box[2] - box[0], box[3] - box[1]), c[0], c[1], torso, opaque,
                    d.appearance.describe(bgr));
        }
    }

    private static Evidence.Box textBox(TextDetector.TextMap t) {
        double[] wgt = new double[t.probability().length];
        for (int i = 0; i < wgt.length; i++) wgt[i] = t.probability()[i] > 0.3f ? 1 : 0;
        double[] b = Evidence.massBox(wgt, t.width(), t.height(), 0.0, 1.0);
        return new Evidence.Box(b[0], b[1], b[2] - b[0], b[3] - b[1]);
    }

    private static float[] saliency(StaticSaliencySpectralResidual s, Mat gray) {
        try (Mat map = new Mat()) {
            if (!s.computeSaliency(gray, map) || map.empty()) return new float[0];
            float[] out = new float[map.cols() * map.rows()];
            try (Mat f = new Mat()) {
                map.convertTo(f, opencv_core.CV_32F);
                ((FloatBuffer) f.createBuffer()).get(out);
            }
            return out;
        }
    }
}
