package dev.imagevision.pipeline;

import dev.imagevision.ledger.Estimate;
import dev.imagevision.ledger.LedgerFile;
import dev.imagevision.site.SiteFileException;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code --dry-run}: what would be scored and what it would cost, from the average tokens the
 * ledger measured for this model (at batch price with {@code --batch}), and how many manifest entries the
 * run would drop because their image left the site; nothing is called or written.
 */
final class DryRun {
    private DryRun() {}

    static RunSummary summary(List<Item> inScope, RunOptions o, Path ledgerFile, int wouldDrop) {
        int wouldScore = 0;
        for (Item i : inScope) {
            if (i.error == null && !i.flagged() && (i.judgement() == null || o.forceScore()) && !o.skipScoring()) wouldScore++;
        }
        BigDecimal perImage = BigDecimal.ZERO;
        String basis = "the offline provider is free";
        if (o.provider().paid()) {
            Estimate est;
            try {
                est = Estimate.from(ledgerFile, o.provider().model(), o.batch()); // streamed: a long history stays on disk
            } catch (SiteFileException | java.io.IOException e) {
                est = Estimate.from(LedgerFile.empty(), o.provider().model(), o.batch());
                est = new Estimate(est.perImageUsd(), est.basis() + "; the ledger could not be read: " + e.getMessage());
            }
            perImage = est.perImageUsd();
            basis = est.basis();
        }
        double total = perImage.multiply(BigDecimal.valueOf(wouldScore)).setScale(2, RoundingMode.HALF_UP).doubleValue();
        return new RunSummary(inScope.size(), 0, 0, 0, 0, 0, 0, 0, false, 0, true, wouldScore, total, null, null,
                List.of(), basis, wouldDrop);
    }
}
