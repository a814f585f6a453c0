package dev.imagevision.pipeline;

import dev.imagevision.judgements.Decision;
import dev.imagevision.judgements.Spending;
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

    public static RunSummary summary(Collection<Decision> decisions, RunOptions o, Path ledgerFile, BigDecimal hardUsd,
                                     int wouldDrop, java.util.List<dev.imagevision.inventory.Problem> problems) {
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
            basis = est.basis() + hardLimitNote(perImage, wouldScore, hardUsd);
        }
        double total = perImage.multiply(BigDecimal.valueOf(wouldScore)).setScale(2, RoundingMode.HALF_UP).doubleValue();
        int wouldAdopt = (int) decisions.stream().filter(d -> d == Decision.ADOPTED).count();
        return RunSummary.dryRun(decisions.size(), wouldScore, wouldAdopt, total, basis, wouldDrop, problems);
    }

    /**
     * Where the hard limit would stop the run at the estimated price. The real run stops sooner by up to
     * its concurrency in request ceilings (each request holds its ceiling while in flight), which the
     * estimate cannot know before the images are sized for upload, so the note says "about".
     */
    static String hardLimitNote(BigDecimal perImage, int wouldScore, BigDecimal hardUsd) {
        if (wouldScore == 0 || perImage.signum() <= 0) return "";
        long fit = hardUsd.divide(perImage, 0, RoundingMode.FLOOR).longValue();
        String limit = "the hard limit of $" + Spending.usd(hardUsd) + " (cost_hard_usd)";
        if (fit < wouldScore) {
            return "; at that price " + limit + " stops the run after about " + fit + " of " + wouldScore
                    + " images (exit code 3; the next runs continue)";
        }
        if (perImage.multiply(BigDecimal.valueOf(wouldScore)).multiply(BigDecimal.TWO).compareTo(hardUsd) > 0) {
            return "; within " + limit + ", which a run nears by the ceilings of its requests in flight: it may stop "
                    + "short of the last images";
        }
        return "";
    }
}
