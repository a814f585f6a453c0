package dev.imagevision.pipeline;

import dev.imagevision.judgements.Decision;
import dev.imagevision.ledger.Estimate;
import dev.imagevision.ledger.LedgerFile;
import dev.imagevision.site.SiteFileException;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.Collection;

/**
 * {@code --dry-run}: what would be scored — the images whose {@link Decision} is a call, the same
 * decision the real run takes — what it would cost, from the average tokens the ledger measured
 * for this model (at batch price with {@code --batch}), and how many manifest entries the run would
 * drop because their image left the site; nothing is called or written.
 */
public final class DryRun {
    private DryRun() {}

    public static RunSummary summary(Collection<Decision> decisions, RunOptions o, Path ledgerFile, int wouldDrop,
                              java.util.List<dev.imagevision.inventory.Problem> problems) {
        int wouldScore = (int) decisions.stream().filter(d -> d == Decision.CALL).count();
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
        int wouldAdopt = (int) decisions.stream().filter(d -> d == Decision.ADOPTED).count();
        return RunSummary.dryRun(decisions.size(), wouldScore, wouldAdopt, total, basis, wouldDrop, problems);
    }
}
