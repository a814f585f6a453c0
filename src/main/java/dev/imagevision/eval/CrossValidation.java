package dev.imagevision.eval;

import dev.imagevision.crop.CropSpec;
import dev.imagevision.crop.ImageException;
import dev.imagevision.crop.ImageHeader;
import dev.imagevision.vision.ProviderException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Honest figures for a provider with fitted levels: the in-sample figure (fitted on every labelled
 * image and measured on the same), and the cross-validated one, where each fold's levels are fitted
 * on the other folds only and its images are judged with them; the held-out judgements of all folds
 * together give one set of figures, every image tested exactly once.
 *
 * <p>The fit keeps the candidate under which the most labelled subjects survive the crop, summed over
 * the ratios, where a subject the centre crop would have kept and the candidate loses counts
 * {@link #LOSS_WEIGHT} times: the promise is "never worse than a centre crop", so a move that
 * wins one image and loses another is not worth making. Among equals the most cautious (earliest)
 * candidate wins.
 */
public final class CrossValidation {
    private CrossValidation() {}

    /** How many subjects kept elsewhere one subject lost against the centre crop costs in the fit. */
    static final int LOSS_WEIGHT = 3;

    /** One fold: the folders it holds out and the levels fitted without them. */
    public record Fold<T>(List<String> folders, int images, T fitted) {}

    public record Report<T>(EvalResult inSample, T fittedOnAll, EvalResult crossValidated, List<Fold<T>> folds) {}

    public static <A, T> Report<T> run(Tunable<A, T> provider, List<Label> labels, Path images, int k, List<CropSpec> specs,
                                       LongSupplier nanos, Consumer<Outcome> onImage) {
        List<List<Label>> folds = Folds.split(labels, k);
        Map<String, Measured<A>> measured = new HashMap<>();
        for (Label label : labels) {
            Measured<A> m = measure(provider, label, images, nanos);
            measured.put(label.path(), m);
        }
        T all = fit(provider, labels, measured, specs);
        for (Label label : labels) onImage.accept(measured.get(label.path()).outcome(provider, all));
        EvalResult inSample = Metrics.evaluate(outcomes(provider, labels, measured, all), specs);
        List<Outcome> held = new ArrayList<>(labels.size());
        List<Fold<T>> report = new ArrayList<>(k);
        for (List<Label> test : folds) {
            T fitted = fit(provider, Folds.training(labels, test), measured, specs);
            held.addAll(outcomes(provider, test, measured, fitted));
            report.add(new Fold<>(test.stream().map(l -> Folds.folder(l.path())).distinct().sorted().toList(), test.size(), fitted));
        }
        return new Report<>(inSample, all, Metrics.evaluate(held, specs), report);
    }

    /** The candidate that keeps the most subjects on these images (cautious first among equals). */
    static <A, T> T fit(Tunable<A, T> provider, List<Label> train, Map<String, Measured<A>> measured, List<CropSpec> specs) {
        List<Label> judged = new ArrayList<>();
        List<A> analyses = new ArrayList<>();
        for (Label l : train) {
            Measured<A> m = measured.get(l.path());
            if (m.analysis() == null) continue;
            judged.add(l);
            analyses.add(m.analysis());
        }
        T best = null;
        int bestKept = -1;
        for (T candidate : provider.candidates(judged, analyses)) {
            EvalResult r = Metrics.evaluate(outcomes(provider, train, measured, candidate), specs);
            int kept = r.subjectKept().values().stream().mapToInt(EvalResult.KeptStats::providerKept).sum();
            for (EvalResult.ImageResult im : r.perImage()) {
                for (var e : im.kept().entrySet()) {
                    if (!e.getValue() && im.centreKept().get(e.getKey())) kept -= LOSS_WEIGHT - 1;
                }
            }
            if (kept > bestKept) {
                best = candidate;
                bestKept = kept;
            }
        }
        return best;
    }

    private static <A, T> List<Outcome> outcomes(Tunable<A, T> provider, List<Label> labels, Map<String, Measured<A>> measured, T levels) {
        List<Outcome> out = new ArrayList<>(labels.size());
        for (Label l : labels) out.add(measured.get(l.path()).outcome(provider, levels));
        return out;
    }

    /** One image measured once: its analysis or why there is none, and what measuring it cost. */
    record Measured<A>(Label label, int width, int height, A analysis, String failure, double millis) {
        <T> Outcome outcome(Tunable<A, T> provider, T levels) {
            return analysis == null ? Outcome.failed(label, width, height, failure, millis)
                    : Outcome.judged(label, width, height, provider.judge(analysis, levels), millis);
        }
    }

    private static <A> Measured<A> measure(Tunable<A, ?> provider, Label label, Path images, LongSupplier nanos) {
        Path file = Evaluation.labelledFile(label, images);
        ImageHeader header;
        try {
            header = ImageHeader.read(file);
        } catch (ImageException e) {
            throw new IllegalArgumentException("labelled image " + file + " cannot be read: " + e.getMessage(), e);
        }
        long t0 = nanos.getAsLong();
        try {
            A a = provider.analyse(file);
            return new Measured<>(label, header.orientedWidth(), header.orientedHeight(), a, null, (nanos.getAsLong() - t0) / 1e6);
        } catch (ProviderException e) {
            if (e.fatal()) throw new IllegalStateException("the provider gave up: " + e.getMessage(), e);
            return new Measured<>(label, header.orientedWidth(), header.orientedHeight(), null, e.getMessage(),
                    (nanos.getAsLong() - t0) / 1e6);
        }
    }
}
