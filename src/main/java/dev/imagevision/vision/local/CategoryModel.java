package dev.imagevision.vision.local;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imagevision.site.Json;
import dev.imagevision.vision.Category;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * A category learned from labelled images: multinomial logistic regression over the
 * {@link Appearance} descriptor and a few graphic statistics ({@code Judge.categoryFeatures}), each feature standardised by its mean and spread on the training
 * images, with an L2 penalty ({@link #PENALTY}, chosen by cross-validation by source folder) so a few
 * hundred images do not make 2,566 weights per category fit noise. Fitting is plain full-batch gradient descent
 * from zero with a fixed step and count, so the same images in the same order always give the same
 * model, bit for bit. Pure: no files, no images.
 *
 * <p>{@link #SHIPPED} is the model fitted on every labelled image the project has (the dev set and
 * the extra set in {@code corpus/extra}); {@code bench/train-categories.sh} fits it again.
 */
public final class CategoryModel {
    /** Strength of the L2 penalty on the standardised weights. */
    public static final double PENALTY = 0.3;
    /** Gradient steps; the step is the inverse of the loss's smoothness bound, so the fit converges without tuning. */
    static final int STEPS = 2000;
    private static final List<Category> CLASSES = List.of(Category.values());

    private final double[] mean;
    private final double[] scale;
    /** weights[feature][class] */
    private final double[][] weights;
    private final double[] bias;
    private final int trainedOn;
    private final double penalty;

    private CategoryModel(double[] mean, double[] scale, double[][] weights, double[] bias, int trainedOn, double penalty) {
        this.penalty = penalty;
        this.mean = mean;
        this.scale = scale;
        this.weights = weights;
        this.bias = bias;
        this.trainedOn = trainedOn;
    }

    /** The model shipped in this jar. */
    public static final String RESOURCE = "category-model.json";

    /** Read once, on first use. */
    static CategoryModel shipped() {
        Shipped s = Shipped.LOADED;
        // a damaged resource is one clear line on every use, not an ExceptionInInitializerError and then NoClassDefFoundErrors
        if (s.model == null) throw new IllegalStateException(s.problem);
        return s.model;
    }

    /**
     * The shipped model file's CRC-32, in hex ("missing" when there is none). It is part of the local
     * provider's version, so a refitted model is a new cache key: judgements cached under the old
     * model are not served as the new one's. From a jar it is the CRC the jar already records for the
     * entry, so naming the version (which every command does) costs no read of the model.
     */
    static String shippedDigest() {
        java.net.URL url = CategoryModel.class.getResource(RESOURCE);
        if (url == null) return "missing";
        try {
            if (url.openConnection() instanceof java.net.JarURLConnection jar) {
                jar.setUseCaches(false);
                java.util.jar.JarEntry entry = jar.getJarEntry();
                if (entry != null && entry.getCrc() >= 0) return String.format(java.util.Locale.ROOT, "%08x", entry.getCrc());
            }
            try (InputStream in = url.openStream()) {
                java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                crc.update(in.readAllBytes());
                return String.format(java.util.Locale.ROOT, "%08x", crc.getValue());
            }
        } catch (IOException e) {
            return "unreadable";
        }
    }

    private record Shipped(CategoryModel model, String problem) {
        static final Shipped LOADED = read();

        private static Shipped read() {
            try (InputStream in = CategoryModel.class.getResourceAsStream(RESOURCE)) {
                if (in == null) return new Shipped(null, "the category model " + RESOURCE + " is missing from the imagevision jar");
                CategoryModel m = fromJson(in.readAllBytes());
                if (m.features() != Judge.CATEGORY_FEATURES) {
                    throw new IOException("it takes " + m.features() + " features where this version measures " + Judge.CATEGORY_FEATURES);
                }
                return new Shipped(m, null);
            } catch (IOException | RuntimeException e) {
                return new Shipped(null, "the category model " + RESOURCE + " in the imagevision jar is damaged or from another version ("
                        + firstLine(e.getMessage()) + "); rebuild the jar from a clean checkout, or fit it again with bench/train-categories.sh");
            }
        }
    }

    private static String firstLine(String message) {
        if (message == null || message.isBlank()) return "no detail";
        return message.strip().lines().findFirst().orElse("no detail");
    }

    /** How many labelled images it was fitted on. */
    public int trainedOn() {
        return trainedOn;
    }

    /** Number of features it expects. */
    int features() {
        return mean.length;
    }

    /**
     * Fits a model to labelled descriptors (all of one length). Every category may be absent from
     * the training images; one that is absent is never predicted.
     */
    public static CategoryModel fit(List<double[]> descriptors, List<Category> truth, double penalty) {
        if (descriptors.size() != truth.size()) throw new IllegalArgumentException("one category per descriptor");
        if (descriptors.isEmpty()) throw new IllegalArgumentException("no labelled images to fit a category model on");
        int n = descriptors.size();
        int d = descriptors.get(0).length;
        int k = CLASSES.size();
        double[] mean = new double[d];
        double[] scale = new double[d];
        for (double[] x : descriptors) {
            if (x.length != d) throw new IllegalArgumentException("descriptors of different lengths: " + d + " and " + x.length);
            for (int j = 0; j < d; j++) mean[j] += x[j];
        }
        for (int j = 0; j < d; j++) mean[j] /= n;
        for (double[] x : descriptors) for (int j = 0; j < d; j++) scale[j] += (x[j] - mean[j]) * (x[j] - mean[j]);
        for (int j = 0; j < d; j++) scale[j] = Math.sqrt(scale[j] / n) + SPREAD_FLOOR;
        double[][] z = new double[n][];
        for (int i = 0; i < n; i++) z[i] = standardised(descriptors.get(i), mean, scale);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = CLASSES.indexOf(truth.get(i));

        double step = 1 / (0.5 * topSingularValueSquared(z) / n + penalty);
        double[][] w = new double[d][k];
        double[] b = new double[k];
        double[][] p = new double[n][k];
        double[][] gw = new double[d][k];
        double[] gb = new double[k];
        for (int s = 0; s < STEPS; s++) {
            for (int i = 0; i < n; i++) {
                softmax(z[i], w, b, p[i]);
                p[i][y[i]] -= 1; // now the gradient of the loss at the logits
            }
            for (double[] row : gw) Arrays.fill(row, 0);
            Arrays.fill(gb, 0);
            for (int i = 0; i < n; i++) {
                double[] zi = z[i];
                double[] pi = p[i];
                for (int j = 0; j < d; j++) {
                    double v = zi[j];
                    if (v == 0) continue;
                    double[] g = gw[j];
                    for (int c = 0; c < k; c++) g[c] += v * pi[c];
                }
                for (int c = 0; c < k; c++) gb[c] += pi[c];
            }
            for (int j = 0; j < d; j++) {
                for (int c = 0; c < k; c++) w[j][c] -= step * (gw[j][c] / n + penalty * w[j][c]);
            }
            for (int c = 0; c < k; c++) b[c] -= step * gb[c] / n;
        }
        return new CategoryModel(mean, scale, w, b, n, penalty);
    }

    /** Added to every feature's spread, so a feature constant on the training images weighs nothing instead of dividing by zero. */
    static final double SPREAD_FLOOR = 1e-6;

    /**
     * The model of a training set where no image could be measured (every one failed): it has learned
     * nothing, so it answers {@code other} for everything rather than stopping a cross-validation whose
     * other folds are fine.
     */
    public static CategoryModel untrained() {
        double[] bias = new double[CLASSES.size()];
        bias[CLASSES.indexOf(Category.OTHER)] = 1;
        return new CategoryModel(new double[0], new double[0], new double[0][], bias, 0, 0);
    }

    /** The most likely category of a descriptor. */
    public Category predict(double[] descriptor) {
        double[] p = probabilities(descriptor);
        int best = 0;
        for (int c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
        return CLASSES.get(best);
    }

    /** The probability of each category, in {@link Category} order. */
    double[] probabilities(double[] descriptor) {
        if (trainedOn == 0) {
            double[] p = new double[CLASSES.size()];
            p[CLASSES.indexOf(Category.OTHER)] = 1;
            return p;
        }
        if (descriptor.length != mean.length) {
            throw new IllegalArgumentException("the category model takes " + mean.length + " features, got " + descriptor.length);
        }
        double[] p = new double[CLASSES.size()];
        softmax(standardised(descriptor, mean, scale), weights, bias, p);
        return p;
    }

    private static double[] standardised(double[] x, double[] mean, double[] scale) {
        double[] z = new double[x.length];
        for (int j = 0; j < x.length; j++) z[j] = (x[j] - mean[j]) / scale[j];
        return z;
    }

    private static void softmax(double[] z, double[][] w, double[] b, double[] out) {
        int k = b.length;
        System.arraycopy(b, 0, out, 0, k);
        for (int j = 0; j < z.length; j++) {
            double v = z[j];
            if (v == 0) continue;
            double[] row = w[j];
            for (int c = 0; c < k; c++) out[c] += v * row[c];
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double v : out) max = Math.max(max, v);
        double sum = 0;
        for (int c = 0; c < k; c++) {
            out[c] = Math.exp(out[c] - max);
            sum += out[c];
        }
        for (int c = 0; c < k; c++) out[c] /= sum;
    }

    /** The largest eigenvalue of ZᵀZ by power iteration from a fixed start (deterministic). */
    static double topSingularValueSquared(double[][] z) {
        int d = z[0].length;
        double[] v = new double[d];
        Arrays.fill(v, 1 / Math.sqrt(d));
        double lambda = 0;
        for (int it = 0; it < 100; it++) {
            double[] u = new double[d];
            for (double[] row : z) {
                double dot = 0;
                for (int j = 0; j < d; j++) dot += row[j] * v[j];
                for (int j = 0; j < d; j++) u[j] += dot * row[j];
            }
            double norm = 0;
            for (double x : u) norm += x * x;
            norm = Math.sqrt(norm);
            if (norm == 0) return 0;
            lambda = norm;
            for (int j = 0; j < d; j++) v[j] = u[j] / norm;
        }
        // power iteration approaches the top eigenvalue from below; a margin keeps the step safe
        return lambda * 1.01;
    }

    /** The file form, in {@link Category} order for every per-class list. */
    record File(@JsonProperty("format") int format, @JsonProperty("features") String features,
                @JsonProperty("trained_on") int trainedOn, @JsonProperty("penalty") double penalty,
                @JsonProperty("classes") List<Category> classes, @JsonProperty("mean") double[] mean,
                @JsonProperty("scale") double[] scale, @JsonProperty("bias") double[] bias,
                @JsonProperty("weights") double[][] weights) {}

    static final int FORMAT = 1;

    public byte[] toJson() {
        return Json.stableBytes(new File(FORMAT, Appearance.RESOURCE + " Conv_1 frame mean and frame maximum, each at unit length, then log(1+x) of text, synthetic hue, white, flat, colours, dominant share", trainedOn, penalty,
                CLASSES, mean, scale, bias, weights));
    }

    public static CategoryModel fromJson(byte[] json) throws IOException {
        File f = Json.STRICT.readValue(json, File.class);
        if (f == null) throw new IOException("category model file is empty");
        if (f.format() != FORMAT) throw new IOException("category model format " + f.format() + " is not " + FORMAT);
        if (!CLASSES.equals(f.classes())) throw new IOException("category model classes " + f.classes() + " are not " + CLASSES);
        if (f.mean() == null || f.scale() == null || f.weights() == null || f.bias() == null) {
            throw new IOException("category model lacks one of mean, scale, weights, bias");
        }
        int d = f.mean().length;
        if (d == 0 || f.trainedOn() <= 0) throw new IOException("category model was fitted on no features or no images");
        if (f.scale().length != d || f.weights().length != d || f.bias().length != CLASSES.size()) {
            throw new IOException("category model arrays do not match: " + d + " features");
        }
        for (double[] row : f.weights()) {
            if (row == null || row.length != CLASSES.size()) throw new IOException("category model weights are not " + CLASSES.size() + " per feature");
            for (double v : row) if (!Double.isFinite(v)) throw new IOException("category model has a weight that is not a finite number");
        }
        // a zero or non-finite number here turns every prediction into NaNs, and NaNs into the first class
        for (int j = 0; j < d; j++) {
            if (!Double.isFinite(f.mean()[j]) || !(f.scale()[j] > 0) || !Double.isFinite(f.scale()[j])) {
                throw new IOException("category model feature " + j + " has a mean or spread that is not a finite (positive) number");
            }
        }
        for (double v : f.bias()) if (!Double.isFinite(v)) throw new IOException("category model has a bias that is not a finite number");
        return new CategoryModel(f.mean(), f.scale(), f.weights(), f.bias(), f.trainedOn(), f.penalty());
    }
}
