package dev.imagevision.cli;

import dev.imagevision.eval.CrossValidation;
import dev.imagevision.eval.EvalResult;
import dev.imagevision.eval.LocalTuning;
import dev.imagevision.eval.EvalTable;
import dev.imagevision.eval.Evaluation;
import dev.imagevision.eval.Label;
import dev.imagevision.eval.LabelFile;
import dev.imagevision.eval.Metrics;
import dev.imagevision.eval.Outcome;
import dev.imagevision.eval.Split;
import dev.imagevision.judgements.ProviderChoice;
import dev.imagevision.site.Site;
import dev.imagevision.site.SiteConfig;
import dev.imagevision.site.SiteRoot;
import dev.imagevision.vision.VisionProvider;
import dev.imagevision.vision.local.CategoryModel;
import dev.imagevision.vision.local.LocalProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code imagevision eval}: runs a provider and the crop geometry over labelled images and prints
 * how well they did, next to a centre crop on the same images.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Measure a provider on labelled images: category accuracy and confusion matrix, people and "
                + "diagram recall and precision, focal point in the labelled box, and the subject-kept rate per crop "
                + "ratio (a window keeps >= 90%% of the labelled subject box; only images where that is achievable "
                + "count; whole-scene images are left out), next to a centre crop.",
                "Images are judged one at a time, so the times are those of one core."})
public final class EvalCommand implements Callable<Integer> {
    @Option(names = "--labels", required = true, paramLabel = "FILE",
            description = "Labels: a JSON array of {path, category, quality, subject_box, focal_point, whole_scene, …}.")
    Path labels;

    @Option(names = "--images", paramLabel = "DIR", description = "Folder the labels' paths are relative to (default: the labels file's folder).")
    Path images;

    @Option(names = "--provider", paramLabel = "NAME", description = "local or anthropic (default: local).")
    String provider = "local";

    @Option(names = "--root", paramLabel = "DIR", description = "Site root whose imagevision.json configures the provider and crop ratios (default: current directory).")
    Path root = Path.of(".");

    @Option(names = "--split", paramLabel = "HALF", description = "all, a or b: a fixed half of the set chosen by path hash, to tune on one half and check on the other (default: all).")
    String split = "all";

    @Option(names = "--folds", paramLabel = "K", description = "Also cross-validate: split the images by source folder "
            + "into K folds, fit the provider's levels on K-1 folds, judge the held-out fold with them, and print the "
            + "held-out figures of all folds next to the in-sample ones (local provider only).")
    Integer folds;

    @Option(names = "--save-category-model", paramLabel = "FILE", description = "With --folds: also write the category "
            + "model fitted on all the labelled images to FILE (what ships in the jar as category-model.json; see "
            + "bench/train-categories.sh).")
    Path saveCategoryModel;

    @Option(names = "--per-image", description = "Also list each image's result on stderr.")
    boolean perImage;

    @Option(names = "--json", description = "Print every figure as one JSON object on stdout instead of the table.")
    boolean json;

    @Mixin
    VerboseOption verbose;

    @Spec
    CommandSpec spec;


    /**
     * Why the category model may not be written to {@code target}: a folder, or a file that is not a
     * category model (this tool did not write it, so it is never replaced). Replacing an earlier model
     * is what {@code bench/train-categories.sh} does.
     */
    static void refuseModelTarget(Path target) {
        if (Files.isDirectory(target)) {
            throw new IllegalArgumentException("--save-category-model " + Terminal.clean(target.toString()) + " is a folder; name a file");
        }
        if (Files.exists(target)) {
            try {
                CategoryModel.fromJson(Files.readAllBytes(target));
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("--save-category-model " + Terminal.clean(target.toString())
                        + " exists and is not a category model; it is left as it is (name a new file, or remove it first)");
            }
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        Split half = switch (split.toLowerCase(Locale.ROOT)) {
            case "all" -> Split.ALL;
            case "a" -> Split.A;
            case "b" -> Split.B;
            default -> throw new IllegalArgumentException("--split must be all, a or b, got " + split);
        };
        List<Label> all = LabelFile.read(labels);
        List<Label> chosen = half.of(all);
        if (chosen.isEmpty()) throw new IllegalArgumentException("--split " + split + " leaves no image of " + labels);
        Path dir = images != null ? images : labels.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException("--images " + dir + " is not a directory");

        SiteConfig config = (Files.isDirectory(root) ? SiteConfig.load(root) : SiteConfig.defaults()).withProvider(provider);
        Site site = new Site(new SiteRoot(root, config.paths().staticDir()), config, List.of(), Map.of(), List.of(), 0);
        ProviderChoice choice = Providers.choose(provider, site, new dev.imagevision.crop.OpenCvCodec());
        VisionProvider p = choice.get();

        err.printf(Locale.ROOT, "evaluating %s (%s, %s) on %d labelled images from %s%n", choice.id(), choice.model(),
                choice.promptVersion(), chosen.size(), dir);
        err.flush();
        if (saveCategoryModel != null && folds == null) throw new IllegalArgumentException("--save-category-model needs --folds");
        // checked before the minutes of measuring, not after them
        if (saveCategoryModel != null) refuseModelTarget(saveCategoryModel);
        if (folds != null) {
            if (!(p instanceof LocalProvider local)) throw new IllegalArgumentException("--folds needs --provider local: only it has fitted levels");
            CrossValidation.Report<LocalProvider.Fitted> r = CrossValidation.run(new LocalTuning(local), chosen, dir, folds,
                    config.variants(), System::nanoTime, o -> {
                        if (perImage) {
                            err.println(Terminal.clean(String.format(Locale.ROOT, "%6.0f ms  measured  %s", o.millis(), o.label().path())));
                            err.flush();
                        }
                    });
            if (json) {
                out.println(dev.imagevision.site.Json.COMPACT.writeValueAsString(Map.of("in_sample", r.inSample(), "cross_validated", r.crossValidated(),
                        "fitted_on_all", r.fittedOnAll().toString(),
                        "folds", r.folds().stream().map(f -> Map.of("folders", f.folders(), "images", f.images(),
                                "fitted", f.fitted().toString())).toList())));
            } else {
                out.print(EvalTable.crossValidated(r.inSample(), r.crossValidated(), choice.id()));
                out.printf(Locale.ROOT, "%nfitted on all %d images: %s%n", chosen.size(), r.fittedOnAll());
                for (int i = 0; i < r.folds().size(); i++) {
                    CrossValidation.Fold<LocalProvider.Fitted> f = r.folds().get(i);
                    out.printf(Locale.ROOT, "fold %d (%d images, held out: %s): %s%n", i + 1, f.images(),
                            Terminal.clean(String.join(", ", f.folders())), f.fitted());
                }
                out.printf(Locale.ROOT, "%n-- in-sample (fitted and measured on all %d) --%n", chosen.size());
                out.print(EvalTable.render(r.inSample(), choice.id()));
                out.printf(Locale.ROOT, "%n-- cross-validated (%d folds by source folder, each judged with levels fitted on the others) --%n", folds);
                out.print(EvalTable.render(r.crossValidated(), choice.id()));
            }
            out.flush();
            if (saveCategoryModel != null) {
                if (r.fittedOnAll().categories().trainedOn() == 0) {
                    throw new IllegalArgumentException("no labelled image could be measured, so there is no category model to write to "
                            + Terminal.clean(saveCategoryModel.toString()));
                }
                dev.imagevision.cache.AtomicFiles.write(saveCategoryModel, r.fittedOnAll().categories().toJson());
                err.println("category model fitted on " + r.fittedOnAll().categories().trainedOn() + " images written to "
                        + Terminal.clean(saveCategoryModel.toString()));
            }
            return Main.OK;
        }
        List<Outcome> outcomes = Evaluation.run(p, chosen, dir, System::nanoTime, o -> {
            if (perImage) {
                err.println(line(o));
                err.flush();
            }
        });
        EvalResult result = Metrics.evaluate(outcomes, config.variants());
        if (perImage) {
            for (EvalResult.ImageResult r : result.perImage()) {
                if (!r.kept().isEmpty() && r.kept().containsValue(false)) {
                    err.println("  crop lost the subject: " + Terminal.clean(r.path()) + " " + r.kept());
                }
            }
        }
        if (json) {
            out.println(dev.imagevision.site.Json.COMPACT.writeValueAsString(result));
        } else {
            out.print(EvalTable.render(result, choice.id()));
        }
        out.flush();
        return Main.OK;
    }

    private static String line(Outcome o) {
        String verdict = o.judgement() == null ? "FAILED " + o.failure()
                : String.format(Locale.ROOT, "%-10s %2d  focal %.2f,%.2f  box %.2f,%.2f %.2fx%.2f  %s",
                o.judgement().category().id(), o.judgement().score(), o.judgement().focalPoint().x(),
                o.judgement().focalPoint().y(), o.judgement().subjectBox().x(), o.judgement().subjectBox().y(),
                o.judgement().subjectBox().w(), o.judgement().subjectBox().h(), o.judgement().subject());
        return Terminal.clean(String.format(Locale.ROOT, "%6.0f ms  %-10s -> %s  %s", o.millis(), o.label().category().id(),
                verdict, o.label().path()));
    }
}
