import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagevision.eval.Folds;
import dev.imagevision.eval.Label;
import dev.imagevision.eval.LabelFile;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_dnn.Net;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.setNumThreads;
import static org.bytedeco.opencv.global.opencv_dnn.blobFromImage;
import static org.bytedeco.opencv.global.opencv_dnn.readNetFromTFLite;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;

/**
 * Would a learned category vote generalise? Measures, cross-validated by source folder (eval.Folds,
 * 5 folds), a nearest-neighbour category vote over a pretrained image descriptor: the 1280-channel
 * MobileNetV2 feature map of MediaPipe's SSD object detector (Open Images v4, from the npm package
 * {@code @mediapipe/objectron}, Apache-2.0), averaged over the frame. Each held-out image votes
 * among its k most similar images of the other folds (cosine similarity, votes weighted by it).
 *
 * <p>Usage: java -cp target/imagevision.jar bench/CategoryVote.java MODEL.tflite LABELS IMAGES RULES.json,
 * where RULES.json is {@code imagevision eval --per-image --json} of the local provider on the same
 * labels (its predicted categories are the hand rules the vote is compared with and combined with).
 */
public class CategoryVote {
    static final String FEATURES = "FeatureExtractor/MobilenetV2/Conv_1/Relu6;FeatureExtractor/MobilenetV2/Conv_1/BatchNorm/FusedBatchNormV3;"
            + "FeatureExtractor/MobilenetV2/Conv_1/Conv2D/activ";
    static final List<String> SHOWN = List.of("people", "render", "spacecraft", "hardware", "orbital", "surface", "launch", "diagram");

    public static void main(String[] args) throws Exception {
        setNumThreads(1);
        byte[] model = Files.readAllBytes(Path.of(args[0]));
        Net net;
        try (BytePointer b = new BytePointer(model)) {
            net = readNetFromTFLite(b, model.length);
        }
        List<Label> labels = LabelFile.read(Path.of(args[1]));
        Path images = Path.of(args[2]);
        Map<String, String> rules = new HashMap<>();
        for (JsonNode n : new ObjectMapper().readTree(Path.of(args[3]).toFile()).get("per_image")) {
            rules.put(n.get("path").asText(), n.get("predicted").asText());
        }
        int n = labels.size();
        double[][] x = new double[n][];
        String[] truth = new String[n], rule = new String[n];
        int[] fold = new int[n];
        List<List<Label>> folds = Folds.split(labels, 5);
        Map<String, Integer> foldOf = new HashMap<>();
        for (int f = 0; f < folds.size(); f++) for (Label l : folds.get(f)) foldOf.put(l.path(), f);
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Label l = labels.get(i);
            truth[i] = l.category().id();
            rule[i] = rules.get(l.path());
            fold[i] = foldOf.get(l.path());
            try (Mat img = imread(images.resolve(l.path()).toString(), IMREAD_COLOR)) {
                long t0 = System.nanoTime();
                x[i] = descriptor(net, img);
                millis.add((System.nanoTime() - t0) / 1e6);
            }
        }
        millis.sort(null);
        System.out.printf(Locale.ROOT, "%d images, descriptor %.0f ms median per image (one core)%n", n, millis.get(n / 2));
        print("hand rules (in-sample = their CV)", truth, rule);
        for (int k : new int[] {1, 3, 5, 7}) print("vote on every image, k " + k, truth, vote(x, truth, fold, rule, k, null));
        for (int k : new int[] {3, 5}) {
            print("face/text rules kept, vote the rest, k " + k, truth, vote(x, truth, fold, rule, k, Set.of("people", "diagram")));
        }
        for (int k : new int[] {3, 5, 7}) {
            print("rules, vote where they say orbital/other, k " + k, truth, vote(x, truth, fold, rule, k, Set.of("people", "diagram", "launch",
                    "surface", "hardware", "render", "spacecraft")));
        }
        System.out.println("\none category against the rest, k 5 neighbours' share as the score (area under the ROC curve, 0.5 = chance):");
        for (String c : SHOWN) System.out.printf(Locale.ROOT, "  %-10s %.2f%n", c, auc(x, truth, fold, c, 5));
    }

    /** The frame stretched to 300 × 300 as the detector was trained, its last feature map averaged, L2-normalised. */
    static double[] descriptor(Net net, Mat bgr) {
        try (Size size = new Size(300, 300); Scalar mean = new Scalar(127.5, 127.5, 127.5, 0);
             Mat blob = blobFromImage(bgr, 1 / 127.5, size, mean, true, false, CV_32F)) {
            net.setInput(blob);
            try (Mat out = net.forward(FEATURES); Mat c = out.clone()) {
                int channels = out.size(1), cells = out.size(2) * out.size(3);
                float[] v = new float[(int) c.total()];
                ((FloatBuffer) c.createBuffer()).get(v);
                double[] d = new double[channels];
                double norm = 0;
                for (int ch = 0; ch < channels; ch++) {
                    for (int i = 0; i < cells; i++) d[ch] += v[ch * cells + i];
                    norm += d[ch] * d[ch];
                }
                norm = Math.sqrt(norm) + 1e-9;
                for (int ch = 0; ch < channels; ch++) d[ch] /= norm;
                return d;
            }
        }
    }

    /** Held-out predictions: images whose rule category is in {@code kept} keep it; the others vote among other folds. */
    static String[] vote(double[][] x, String[] truth, int[] fold, String[] rule, int k, Set<String> kept) {
        String[] out = new String[x.length];
        for (int i = 0; i < x.length; i++) {
            if (kept != null && kept.contains(rule[i])) {
                out[i] = rule[i];
                continue;
            }
            Map<String, Double> votes = new LinkedHashMap<>();
            for (int j : nearest(x, fold, i, k)) votes.merge(truth[j], dot(x[i], x[j]), Double::sum);
            out[i] = votes.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        }
        return out;
    }

    static int[] nearest(double[][] x, int[] fold, int i, int k) {
        List<Integer> others = new ArrayList<>();
        for (int j = 0; j < x.length; j++) if (fold[j] != fold[i]) others.add(j);
        others.sort((a, b) -> Double.compare(dot(x[i], x[b]), dot(x[i], x[a])));
        return others.subList(0, Math.min(k, others.size())).stream().mapToInt(Integer::intValue).toArray();
    }

    static double auc(double[][] x, String[] truth, int[] fold, String c, int k) {
        double[] score = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            for (int j : nearest(x, fold, i, k)) if (truth[j].equals(c)) score[i] += 1.0 / k;
        }
        double wins = 0;
        int pairs = 0;
        for (int i = 0; i < x.length; i++) {
            if (!truth[i].equals(c)) continue;
            for (int j = 0; j < x.length; j++) {
                if (truth[j].equals(c)) continue;
                wins += score[i] > score[j] ? 1 : score[i] == score[j] ? 0.5 : 0;
                pairs++;
            }
        }
        return pairs == 0 ? Double.NaN : wins / pairs;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    static void print(String name, String[] truth, String[] predicted) {
        int right = 0;
        for (int i = 0; i < truth.length; i++) if (truth[i].equals(predicted[i])) right++;
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-46s acc %.2f ", name, (double) right / truth.length));
        for (String c : SHOWN) {
            int tp = 0, labelled = 0, said = 0;
            for (int i = 0; i < truth.length; i++) {
                if (truth[i].equals(c)) labelled++;
                if (predicted[i].equals(c)) said++;
                if (truth[i].equals(c) && predicted[i].equals(c)) tp++;
            }
            s.append(String.format(Locale.ROOT, " %s %d/%d/%d", c.substring(0, 5), tp, labelled, said));
        }
        System.out.println(s);
    }
}
