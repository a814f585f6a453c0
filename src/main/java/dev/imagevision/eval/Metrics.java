package dev.imagevision.eval;

import dev.imagevision.crop.CropGeometry;
import dev.imagevision.crop.CropSpec;
import dev.imagevision.crop.CropWindow;
import dev.imagevision.crop.VariantCutter;
import dev.imagevision.eval.EvalResult.CategoryStats;
import dev.imagevision.eval.EvalResult.ClassStats;
import dev.imagevision.eval.EvalResult.FocalStats;
import dev.imagevision.eval.EvalResult.ImageResult;
import dev.imagevision.eval.EvalResult.KeptStats;
import dev.imagevision.eval.EvalResult.ScoreStats;
import dev.imagevision.eval.EvalResult.TimingStats;
import dev.imagevision.vision.Category;
import dev.imagevision.vision.FocalPoint;
import dev.imagevision.vision.Judgement;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns outcomes into the evaluation's figures. Pure: the crop windows come from the same
 * {@link CropGeometry} the pipeline cuts with, fed the provider's focal point and subject box.
 *
 * <p>A failed image counts as a wrong category (predicted {@value #NONE}) and is cropped like the
 * pipeline would without a judgement: centred.
 */
public final class Metrics {
    static final String NONE = "none";

    private Metrics() {}

    public static EvalResult evaluate(List<Outcome> outcomes, List<CropSpec> specs) {
        List<ImageResult> perImage = new ArrayList<>(outcomes.size());
        int failed = 0;
        int correct = 0;
        Map<String, Map<String, Integer>> confusion = new LinkedHashMap<>();
        for (Category c : Category.values()) {
            Map<String, Integer> row = new LinkedHashMap<>();
            for (Category p : Category.values()) row.put(p.id(), 0);
            row.put(NONE, 0);
            confusion.put(c.id(), row);
        }
        int focalCounted = 0, focalProvider = 0, focalCentre = 0;
        int[] achievable = new int[specs.size()];
        int[] keptProvider = new int[specs.size()];
        int[] keptCentre = new int[specs.size()];
        int[] keptLabelled = new int[specs.size()];
        List<double[]> scorePairs = new ArrayList<>();
        double[] millis = new double[outcomes.size()];

        for (int i = 0; i < outcomes.size(); i++) {
            Outcome o = outcomes.get(i);
            Label label = o.label();
            Judgement j = o.judgement();
            millis[i] = o.millis();
            String predicted = j == null ? NONE : j.category().id();
            if (j == null) failed++;
            confusion.get(label.category().id()).merge(predicted, 1, Integer::sum);
            if (label.category().id().equals(predicted)) correct++;
            if (j != null) scorePairs.add(new double[] {j.score(), label.quality()});

            Boolean focalIn = null;
            Map<String, Boolean> kept = new LinkedHashMap<>();
            Map<String, Boolean> centreKept = new LinkedHashMap<>();
            if (!label.wholeScene()) {
                FocalPoint focal = j == null ? FocalPoint.CENTRE : j.focalPoint();
                focalIn = label.subjectBox().contains(focal);
                focalCounted++;
                if (focalIn) focalProvider++;
                if (label.subjectBox().contains(FocalPoint.CENTRE)) focalCentre++;
                List<CropWindow> windows = j == null
                        ? VariantCutter.windows(o.width(), o.height(), FocalPoint.CENTRE, null, specs)
                        : VariantCutter.windows(o.width(), o.height(), j.focalPoint(), j.subjectBox(), specs);
                List<CropWindow> fromLabel = VariantCutter.windows(o.width(), o.height(), label.focalPoint(), null, specs);
                for (int s = 0; s < specs.size(); s++) {
                    CropSpec spec = specs.get(s);
                    if (!SubjectKept.achievable(o.width(), o.height(), label.subjectBox(), spec.ratioW(), spec.ratioH())) continue;
                    achievable[s]++;
                    boolean k = SubjectKept.keeps(windows.get(s), o.width(), o.height(), label.subjectBox());
                    boolean c = SubjectKept.keeps(SubjectKept.centre(o.width(), o.height(), spec.ratioW(), spec.ratioH()),
                            o.width(), o.height(), label.subjectBox());
                    boolean l = SubjectKept.keeps(fromLabel.get(s), o.width(), o.height(), label.subjectBox());
                    kept.put(spec.id(), k);
                    centreKept.put(spec.id(), c);
                    if (k) keptProvider[s]++;
                    if (c) keptCentre[s]++;
                    if (l) keptLabelled[s]++;
                }
            }
            perImage.add(new ImageResult(label.path(), label.category().id(), predicted, label.quality(),
                    j == null ? null : j.score(), focalIn, kept, centreKept, round(o.millis()), o.failure()));
        }

        Map<String, ClassStats> perClass = new LinkedHashMap<>();
        for (Category c : Category.values()) {
            int labelled = 0, predicted = 0;
            for (Map.Entry<String, Map<String, Integer>> row : confusion.entrySet()) {
                int n = row.getValue().get(c.id());
                predicted += n;
                if (row.getKey().equals(c.id())) {
                    for (int v : row.getValue().values()) labelled += v;
                }
            }
            int hit = confusion.get(c.id()).get(c.id());
            perClass.put(c.id(), new ClassStats(labelled, predicted, hit, rate(hit, labelled), rate(hit, predicted)));
        }

        Map<String, KeptStats> keptStats = new LinkedHashMap<>();
        for (int s = 0; s < specs.size(); s++) {
            CropSpec spec = specs.get(s);
            keptStats.put(spec.id(), new KeptStats(spec.ratioW() + ":" + spec.ratioH(), achievable[s], keptProvider[s],
                    keptCentre[s], keptLabelled[s], rate(keptProvider[s], achievable[s]), rate(keptCentre[s], achievable[s]),
                    rate(keptLabelled[s], achievable[s])));
        }

        return new EvalResult(outcomes.size(), failed,
                new CategoryStats(rate(correct, outcomes.size()), correct, confusion, perClass),
                new FocalStats(focalCounted, rate(focalProvider, focalCounted), rate(focalCentre, focalCounted)),
                keptStats, scoreStats(scorePairs), timing(millis), perImage);
    }

    static Double rate(int part, int whole) {
        return whole == 0 ? null : round((double) part / whole);
    }

    static ScoreStats scoreStats(List<double[]> pairs) {
        if (pairs.isEmpty()) return new ScoreStats(0, null, null);
        double[] a = new double[pairs.size()];
        double[] b = new double[pairs.size()];
        double err = 0;
        for (int i = 0; i < a.length; i++) {
            a[i] = pairs.get(i)[0];
            b[i] = pairs.get(i)[1];
            err += Math.abs(a[i] - b[i]);
        }
        Double rho = spearman(a, b);
        return new ScoreStats(a.length, rho == null ? null : round(rho), round(err / a.length));
    }

    /** Spearman's rank correlation (ties get their average rank); null when either side is constant. */
    static Double spearman(double[] a, double[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("paired samples differ in length");
        if (a.length < 2) return null;
        double[] ra = ranks(a);
        double[] rb = ranks(b);
        double ma = Arrays.stream(ra).average().orElse(0);
        double mb = Arrays.stream(rb).average().orElse(0);
        double cov = 0, va = 0, vb = 0;
        for (int i = 0; i < ra.length; i++) {
            cov += (ra[i] - ma) * (rb[i] - mb);
            va += (ra[i] - ma) * (ra[i] - ma);
            vb += (rb[i] - mb) * (rb[i] - mb);
        }
        if (va == 0 || vb == 0) return null;
        return cov / Math.sqrt(va * vb);
    }

    static double[] ranks(double[] v) {
        Integer[] order = new Integer[v.length];
        for (int i = 0; i < v.length; i++) order[i] = i;
        Arrays.sort(order, (x, y) -> Double.compare(v[x], v[y]));
        double[] r = new double[v.length];
        int i = 0;
        while (i < v.length) {
            int j = i;
            while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) j++;
            double avg = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) r[order[k]] = avg;
            i = j + 1;
        }
        return r;
    }

    static TimingStats timing(double[] millis) {
        if (millis.length == 0) return new TimingStats(0, 0, 0);
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        return new TimingStats(round(Arrays.stream(millis).average().orElse(0)), round(median), round(sorted[sorted.length - 1]));
    }

    static double round(double v) {
        return Math.round(v * 10_000d) / 10_000d;
    }
}
