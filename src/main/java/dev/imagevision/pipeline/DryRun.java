package dev.imagevision.pipeline;

import java.util.List;

/** {@code --dry-run}: what would be scored and what it would cost; nothing is called or written. */
final class DryRun {
    private DryRun() {}

    static RunSummary summary(List<Item> inScope, RunOptions o) {
        int wouldScore = 0;
        for (Item i : inScope) {
            if (i.error == null && !i.flagged() && (i.judgement() == null || o.forceScore()) && !o.skipScoring()) wouldScore++;
        }
        double perImage = o.provider().id().equals("local") ? 0 : CostEstimate.PER_IMAGE_USD;
        return new RunSummary(inScope.size(), 0, 0, 0, 0, 0, 0, 0, false, 0, true, wouldScore,
                Math.round(wouldScore * perImage * 100) / 100.0, null, null, List.of());
    }
}
