package dev.imagevision.eval;

import dev.imagevision.eval.EvalResult.ClassStats;
import dev.imagevision.eval.EvalResult.KeptStats;
import dev.imagevision.vision.Category;

import java.util.Locale;
import java.util.Map;

/** The evaluation as a plain-text table for a terminal or a note. */
public final class EvalTable {
    private EvalTable() {}

    public static String render(EvalResult r, String provider) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%d images, %d failed (provider %s)%n%n", r.images(), r.failed(), provider));
        s.append(String.format(Locale.ROOT, "%-28s %10s %10s %14s%n", "subject kept (kept/achievable)", provider, "centre",
                "labelled focal"));
        for (Map.Entry<String, KeptStats> e : r.subjectKept().entrySet()) {
            KeptStats k = e.getValue();
            s.append(String.format(Locale.ROOT, "  %-26s %10s %10s %14s%n", k.ratio() + " (" + k.achievable() + " achievable)",
                    pct(k.provider()), pct(k.centre()), pct(k.labelledFocal())));
        }
        s.append(String.format(Locale.ROOT, "  %-26s %10s %10s%n", "focal point in box (" + r.focalInBox().images() + ")",
                pct(r.focalInBox().provider()), pct(r.focalInBox().centre())));
        s.append(String.format(Locale.ROOT, "%ncategory accuracy %s (%d/%d)%n", pct(r.category().accuracy()),
                r.category().correct(), r.images()));
        s.append(String.format(Locale.ROOT, "  %-11s %8s %9s %9s %9s%n", "class", "labelled", "predicted", "recall", "precision"));
        for (Map.Entry<String, ClassStats> e : r.category().perClass().entrySet()) {
            ClassStats c = e.getValue();
            s.append(String.format(Locale.ROOT, "  %-11s %8d %9d %9s %9s%n", e.getKey(), c.labelled(), c.predicted(),
                    pct(c.recall()), pct(c.precision())));
        }
        s.append(String.format(Locale.ROOT, "%nconfusion (rows labelled, columns predicted)%n%-11s", ""));
        for (Category c : Category.values()) s.append(String.format(Locale.ROOT, " %5.5s", c.id()));
        s.append(String.format(Locale.ROOT, " %5s%n", Metrics.NONE));
        for (Map.Entry<String, Map<String, Integer>> row : r.category().confusion().entrySet()) {
            s.append(String.format(Locale.ROOT, "%-11s", row.getKey()));
            for (int n : row.getValue().values()) s.append(String.format(Locale.ROOT, " %5s", n == 0 ? "." : Integer.toString(n)));
            s.append(System.lineSeparator());
        }
        s.append(String.format(Locale.ROOT, "%nscore vs labelled quality: Spearman %s, mean |error| %s (%d images)%n",
                num(r.score().spearman()), num(r.score().meanAbsError()), r.score().images()));
        s.append(String.format(Locale.ROOT, "time per image (ms): mean %.1f, median %.1f, max %.1f%n", r.timingMs().mean(),
                r.timingMs().median(), r.timingMs().max()));
        return s.toString();
    }

    /** The headline figures in-sample and cross-validated side by side. */
    public static String crossValidated(EvalResult in, EvalResult cv, String provider) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%-34s %10s %10s%n", provider + " on " + in.images() + " images", "in-sample", "cross-val"));
        s.append(row("category accuracy", in.category().accuracy(), cv.category().accuracy()));
        for (Category c : Category.values()) {
            ClassStats a = in.category().perClass().get(c.id());
            ClassStats b = cv.category().perClass().get(c.id());
            s.append(String.format(Locale.ROOT, "%-34s %10s %10s%n", "  " + c.id() + " recall / precision (" + a.labelled() + ")",
                    pct(a.recall()) + "/" + pct(a.precision()), pct(b.recall()) + "/" + pct(b.precision())));
        }
        for (String ratio : in.subjectKept().keySet()) {
            KeptStats a = in.subjectKept().get(ratio);
            KeptStats b = cv.subjectKept().get(ratio);
            s.append(row("subject kept " + a.ratio() + " (centre " + pct(a.centre()) + ")", a.provider(), b.provider()));
        }
        s.append(row("score vs quality Spearman", in.score().spearman(), cv.score().spearman()));
        return s.toString();
    }

    private static String row(String name, Double a, Double b) {
        return String.format(Locale.ROOT, "%-34s %10s %10s%n", name, pct(a), pct(b));
    }

    static String pct(Double v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
    }

    static String num(Double v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
    }
}
