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
     * About what a request's cost ceiling comes to (a Sonnet request: about $0.03–0.05): the real run
     * sends a request only if its ceiling fits beside what it spent, which the estimate cannot know
     * exactly before the images are sized for upload.
     */
    static final BigDecimal TYPICAL_CEILING_USD = new BigDecimal("0.05");

    /**
     * Where the hard limit would stop the run at the estimated price: the real run sends a request only
     * if its ceiling fits beside what it spent (requests in flight wait for each other), so it stops up
     * to one ceiling short of the limit; the note says "about".
     */
    static String hardLimitNote(BigDecimal perImage, int wouldScore, BigDecimal hardUsd) {
        if (wouldScore == 0 || perImage.signum() <= 0) return "";
        long fit = hardUsd.divide(perImage, 0, RoundingMode.FLOOR).longValue();
        String limit = "the hard limit of $" + Spending.usd(hardUsd) + " (cost_hard_usd)";
        if (fit < wouldScore) {
            return "; at that price " + limit + " stops the run after about " + fit + " of " + wouldScore
                    + " images, a few fewer since its last request must fit at its cost ceiling (exit code 3; the next "
                    + "runs continue)";
        }
        if (perImage.multiply(BigDecimal.valueOf(wouldScore)).add(TYPICAL_CEILING_USD).compareTo(hardUsd) > 0) {
            return "; within " + limit + ", but close: a request is sent only if its cost ceiling (about $0.04) fits "
                    + "beside what the run spent, so it may stop short of the last images";
        }
        return "";
    }
}
