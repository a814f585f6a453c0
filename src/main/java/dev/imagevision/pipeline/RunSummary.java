package dev.imagevision.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imagevision.inventory.Problem;
import dev.imagevision.judgements.Spending;

import java.util.List;

/**
 * What a run did, printed for people and, with {@code --json}, as one JSON object on stdout.
 * {@code dropped}: manifest entries removed because their image left the site (no provenance row,
 * or no source file); each is named on the log. On a dry run: the entries the run would drop.
 * {@code halted}: the per-run hard cost cap stopped new calls; the exit code is then
 * {@link #COST_HALT} (the CLI's documented code 3). {@code adopted}: images whose judgement by the
 * site's previous tool was kept without a call (on a dry run: would be). {@code cost_usd} is what
 * this run's replies were billed by their own usage; {@code unconfirmed_usd} what the ledger charges
 * this run's {@code unconfirmed_calls} at their ceilings, requests that may have been billed but
 * brought back no usage to trust (a broken connection, a timeout, a reply that cannot be read or
 * claims impossible usage). The ledger's rows for the run add up to the sum of the two.
 * {@code deferred}: images the hard cost limit left for the next run, named in {@code problems} with the
 * stage {@code deferred}; they are not counted in {@code failed}.
 */
public record RunSummary(
        @JsonProperty("selected") int selected,
        @JsonProperty("scored") int scored,
        @JsonProperty("cached") int cached,
        @JsonProperty("failed") int failed,
        @JsonProperty("cropped") int cropped,
        @JsonProperty("skipped") int skipped,
        @JsonProperty("provider_calls") int providerCalls,
        @JsonProperty("cost_usd") double costUsd,
        @JsonProperty("halted") boolean halted,
        @JsonProperty("exit_code") int exitCode,
        @JsonProperty("dry_run") boolean dryRun,
        @JsonProperty("would_score") int wouldScore,
        @JsonProperty("estimated_cost_usd") double estimatedCostUsd,
        @JsonProperty("manifest") String manifest,
        @JsonProperty("report") String report,
        @JsonProperty("problems") List<Problem> problems,
        @JsonProperty("estimate_basis") @JsonInclude(JsonInclude.Include.NON_NULL) String estimateBasis,
        @JsonProperty("dropped") int dropped,
        @JsonProperty("adopted") int adopted,
        @JsonProperty("unconfirmed_usd") double unconfirmedUsd,
        @JsonProperty("unconfirmed_calls") int unconfirmedCalls,
        @JsonProperty("deferred") int deferred) {

    public static final int OK = 0;
    public static final int COST_HALT = Spending.COST_HALT_EXIT;

    /**
     * What the judgements and variants stages did to the images in scope.
     *
     * @param costUsd        billed by the replies' own usage
     * @param unconfirmedUsd charged at their ceilings for want of usage to trust, over {@code unconfirmedCalls}
     */
    public record Tally(int selected, int scored, int cached, int adopted, int cropped, int skipped, int providerCalls,
                        double costUsd, double unconfirmedUsd, int unconfirmedCalls, boolean halted) {}

    /**
     * A run that wrote its manifest: {@code failed} counts the images named in {@code problems}, apart
     * from those the hard cost limit deferred.
     */
    public static RunSummary completed(Tally t, List<Problem> problems, String manifest, String report, int dropped) {
        return new RunSummary(t.selected(), t.scored(), t.cached(), images(problems, false), t.cropped(), t.skipped(),
                t.providerCalls(), t.costUsd(), t.halted(), t.halted() ? COST_HALT : OK, false, 0, 0, manifest, report,
                List.copyOf(problems), null, dropped, t.adopted(), t.unconfirmedUsd(), t.unconfirmedCalls(),
                images(problems, true));
    }

    /** The images named in the problems of one kind: deferred, or anything else. */
    private static int images(List<Problem> problems, boolean deferred) {
        return (int) problems.stream().filter(p -> p.deferred() == deferred).map(Problem::path).distinct().count();
    }

    /** A dry run: what would be scored, at what estimated cost and on what basis, and what the site refuses; nothing written. */
    public static RunSummary dryRun(int selected, int wouldScore, int wouldAdopt, double estimatedCostUsd, String basis,
                                    int wouldDrop, List<Problem> problems) {
        return new RunSummary(selected, 0, 0, images(problems, false), 0, 0, 0, 0, false, OK, true, wouldScore,
                estimatedCostUsd, null, null, List.copyOf(problems), basis, wouldDrop, wouldAdopt, 0, 0, 0);
    }
}
