package dev.imagevision.pipeline;

import dev.imagevision.cache.ScoreCache;
import dev.imagevision.cache.StatIndex;
import dev.imagevision.cache.VariantCache;
import dev.imagevision.crop.OpenCvCodec;
import dev.imagevision.crop.VariantCutter;
import dev.imagevision.curation.Curation;
import dev.imagevision.curation.CurationFile;
import dev.imagevision.manifest.Fresh;
import dev.imagevision.manifest.Manifest;
import dev.imagevision.manifest.ManifestBuilder;
import dev.imagevision.manifest.ManifestFile;
import dev.imagevision.report.AuditReport;
import dev.imagevision.scope.Scope;
import dev.imagevision.site.Site;
import dev.imagevision.site.SiteConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code score} run, one stage per line: select → score → crop → manifest → report.
 * Everything a stage decides is in its own package; this class only hands results along.
 */
public final class Pipeline {
    private Pipeline() {}

    public static RunSummary run(Site site, RunOptions o) throws IOException {
        SiteConfig.Paths paths = site.config().paths();
        Path cacheDir = site.file(paths.cache());
        // the editor's file is read before anything is touched: a malformed one stops the run with nothing changed
        Curation curation = CurationFile.read(site.file(paths.curation()));
        try (RunLock lock = o.dryRun() ? null : RunLock.acquire(cacheDir)) {
            if (lock != null) lock.sweepAfterUncleanExit(site.root().staticDir(), cacheDir);
            List<Problem> recovered = new ArrayList<>();
            Manifest previous = PreviousManifest.read(site, recovered, o.log());
            StatIndex index = StatIndex.load(cacheDir.resolve("stat-index.json"));
            ScoreCache scores = new ScoreCache(cacheDir);

            // select
            List<Item> items = Inventory.take(site, curation, index, scores, o.provider());
            var matches = Scope.matcher(o.scope(), site.config().fleetAssets());
            List<Item> inScope = items.stream().filter(i -> matches.test(i.source))
                    // --force-score re-asks for what the scope matched; with no scope flag that is still only the new
                    // and changed images: re-scoring the corpus takes --all --force-score, never an accident
                    .filter(i -> !o.scope().incremental()
                            || Inventory.needsWork(i, previous, index, site.root(), site.config().variants(), o.skipCrops()))
                    .toList();
            if (o.dryRun()) {
                List<ManifestBuilder.Dropped> wouldDrop = ManifestBuilder.gone(previous, Inventory.present(site, items, o.log()));
                for (ManifestBuilder.Dropped d : wouldDrop) {
                    o.log().println("would drop " + d.path() + " from the manifest: " + d.reason());
                }
                return DryRun.summary(inScope, o, Spending.ledgerFile(site), wouldDrop.size());
            }

            // score
            Scoring.Outcome scored = Scoring.run(site, inScope, curation.recentReasons(), o, scores);

            // crop
            Cropping.Outcome cropped = o.skipCrops() ? new Cropping.Outcome(java.util.Map.of(), 0, List.of())
                    : Cropping.run(inScope, site.config().variants(), site.root(), index, new VariantCache(cacheDir),
                    () -> new VariantCutter(new OpenCvCodec(), site.config().maxInputPixels()), o);

            // manifest
            List<Fresh> fresh = new ArrayList<>();
            for (Item i : items) {
                Fresh v = cropped.variants().get(i.path());
                var r = i.record;
                boolean usable = r != null && r.usable();
                fresh.add(new Fresh(i.path(), usable ? r.judgement() : null, usable ? r.provider() : null,
                        usable ? r.model() : null, usable ? r.scoredAt() : null, usable ? r.usage() : null,
                        v == null ? null : v.variants(), v == null ? null : v.cropWindows(),
                        usable ? r.promptVersion() : null, usable ? r.key() : null));
            }
            ManifestBuilder.Result built = ManifestBuilder.build(previous, fresh, Inventory.present(site, items, o.log()),
                    curation, site.missions(), site.config().scoreThreshold());
            Path manifestFile = site.file(paths.manifest());
            byte[] manifestBytes = ManifestFile.bytes(built.manifest());
            ManifestFile.write(manifestFile, manifestBytes);
            index.save();
            for (ManifestBuilder.Dropped d : built.dropped()) {
                o.log().println("dropped " + d.path() + " from the manifest: " + d.reason() + " (its variant files are left on disk)");
            }
            for (String id : built.unknownMissions()) {
                o.log().println("note: mission \"" + id + "\" is not in the missions index; its renders are treated as not PLANNED");
            }

            // report
            Path report = site.file(paths.report());
            if (o.writeReport()) AuditReport.write(site, built.manifest(), manifestBytes, curation, index, report);

            List<Problem> problems = new ArrayList<>(recovered);
            site.refused().forEach(r -> problems.add(new Problem(r.path(), "provenance", r.reason())));
            problems.addAll(scored.problems());
            problems.addAll(cropped.problems());
            int failed = (int) problems.stream().map(Problem::path).distinct().count();
            if (lock != null) lock.markClean();
            return new RunSummary(inScope.size(), scored.scored(), scored.cached(), failed, cropped.cropped(),
                    scored.skipped(), scored.calls(), scored.costUsd(), scored.halted(),
                    scored.halted() ? RunSummary.COST_HALT : RunSummary.OK, false, 0, 0,
                    site.root().root().relativize(manifestFile).toString(),
                    o.writeReport() ? site.root().root().relativize(report).toString() : null, problems, null,
                    built.dropped().size(), scored.unconfirmedUsd(), scored.unconfirmedCalls());
        }
    }
}
