package dev.imagevision.pipeline;

import dev.imagevision.cache.ScoreCache;
import dev.imagevision.cache.StatIndex;
import dev.imagevision.curation.Curation;
import dev.imagevision.curation.CurationFile;
import dev.imagevision.inventory.Image;
import dev.imagevision.inventory.Inventory;
import dev.imagevision.inventory.NeedsWork;
import dev.imagevision.inventory.Problem;
import dev.imagevision.judgements.Decision;
import dev.imagevision.judgements.Spending;
import dev.imagevision.manifest.Manifest;
import dev.imagevision.manifest.ManifestBuilder;
import dev.imagevision.scope.Scope;
import dev.imagevision.site.Site;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code score} run, one stage per line: inventory → judgements → variants → manifest → report.
 * Each stage takes and returns values; what a stage decides is in its own package.
 */
public final class Pipeline {
    private Pipeline() {}

    public static RunSummary run(Site site, RunOptions o) throws IOException {
        Path cacheDir = site.file(site.config().paths().cache());
        // the editor's file is read before anything is touched: a malformed one stops the run with nothing changed
        Curation curation = CurationFile.read(site.file(site.config().paths().curation()));
        try (RunLock lock = o.dryRun() ? null : RunLock.acquireOrRead(cacheDir)) {
            if (lock != null) lock.sweepAfterUncleanExit(site.root().staticDir(), cacheDir);
            List<Problem> problems = new ArrayList<>();
            Manifest previous = PreviousManifest.read(site, problems, o.log(), o.dryRun());
            StatIndex index = StatIndex.load(cacheDir.resolve("stat-index.json"));
            ScoreCache scores = new ScoreCache(cacheDir);
            restoreKept(site, scores, o);
            String library = o.codec().libraryMajorVersion();

            Inventory inventory = Inventory.take(site, curation, previous, index, scores, o.provider().identity());
            if (inventory.note() != null) o.log().println(inventory.note());
            Map<String, Decision> decisions = decisions(inScope(inventory, site, o, library), o);
            if (o.dryRun()) return dryRun(site, o, previous, inventory, decisions, problems);

            PerImage.Processed processed = PerImage.run(site, o, inventory, decisions, curation.recentReasons(), scores,
                    index, cacheDir);
            ManifestStage.Written manifest = ManifestStage.write(site, previous, inventory, processed.done(), curation, o.log());
            index.save();
            Path report = o.writeReport() ? ReportStage.write(site, manifest, curation, index, o.codec(), o.log()) : null;
            problems.addAll(inventory.problems());
            problems.addAll(processed.problems());
            if (lock != null) lock.markClean();
            return RunSummary.completed(processed.tally(), problems, relative(site, manifest.file()),
                    report == null ? null : relative(site, report), manifest.built().dropped().size());
        }
    }

    /**
     * The images a run touches: those the scope flags match and, on an incremental run, that need
     * work. {@code --force-score} re-asks only for what the scope matched: with no scope flag that is
     * still only the new and changed images; re-scoring the corpus takes {@code --all --force-score}.
     */
    public static List<Image> inScope(Inventory inventory, Site site, RunOptions o, String library) {
        var matches = Scope.matcher(o.scope(), site.config().fleetAssets());
        return inventory.images().stream().filter(i -> matches.test(i.source()))
                .filter(i -> !o.scope().incremental() || NeedsWork.of(i, site.config().variants(), o.skipCrops(), library))
                .toList();
    }

    /** The one decision per image that the run, the dry run and the estimate share. */
    public static Map<String, Decision> decisions(List<Image> inScope, RunOptions o) {
        Map<String, Decision> out = new LinkedHashMap<>();
        // an adopted judgement is asked for again only with --force-score and an explicit scope (--all --force-score)
        boolean reJudgeAdopted = o.forceScore() && !o.scope().incremental();
        for (Image i : inScope) out.put(i.path(), Decision.of(i, o.forceScore(), o.skipScoring(), reJudgeAdopted));
        return out;
    }

    private static RunSummary dryRun(Site site, RunOptions o, Manifest previous, Inventory inventory,
                                     Map<String, Decision> decisions, List<Problem> recovered) {
        List<ManifestBuilder.Dropped> wouldDrop = ManifestBuilder.gone(previous, inventory.present());
        for (ManifestBuilder.Dropped d : wouldDrop) o.log().println("would drop " + d.path() + " from the manifest: " + d.reason());
        List<Problem> problems = new ArrayList<>(recovered);
        problems.addAll(inventory.problems()); // what the real run would name too: refused rows, protected files
        return DryRun.summary(decisions.values(), o, Spending.ledgerFile(site),
                java.math.BigDecimal.valueOf(site.config().costHardUsd()), wouldDrop.size(), problems);
    }

    /**
     * Paid judgements an earlier run could not write to the score cache wait in the ledger's journal:
     * restored to the cache (a dry run only serves them) before anything decides what to call.
     */
    private static void restoreKept(Site site, ScoreCache scores, RunOptions o) throws IOException {
        if (!o.provider().paid()) return;
        List<dev.imagevision.cache.ScoreRecord> kept = Spending.keptJudgements(site, o.log());
        if (kept.isEmpty()) return;
        if (o.dryRun()) {
            scores.serve(kept);
            return;
        }
        List<dev.imagevision.cache.ScoreRecord> left = scores.restore(kept);
        if (left.isEmpty()) Spending.forgetKept(site);
        o.log().println("restored " + (kept.size() - left.size()) + " of " + kept.size() + " paid judgement(s) an "
                + "earlier run could not write to the score cache" + (left.isEmpty() ? ""
                : "; the rest are served from the ledger's journal until the cache can be written"));
    }

    private static String relative(Site site, Path file) {
        return site.root().root().relativize(file).toString();
    }
}
