package dev.imagevision.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * What a run did, printed for people and, with {@code --json}, as one JSON object on stdout.
 * {@code dropped}: manifest entries removed because their image left the site (no provenance row,
 * or no source file); each is named on the log. On a dry run: the entries the run would drop.
 * {@code halted}: the per-run hard cost cap stopped new calls; the exit code is then
 * {@link #COST_HALT} (the CLI's documented code 3). {@code cost_usd} is what this run's replies were
 * billed by their own usage; {@code unconfirmed_usd} what the ledger charges this run's
 * {@code unconfirmed_calls} at their ceilings, requests that may have been billed but brought back no
 * usage to trust (a broken connection, a timeout, a reply that cannot be read or claims impossible
 * usage). The ledger's rows for the run add up to the sum of the two.
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
        @JsonProperty("unconfirmed_usd") double unconfirmedUsd,
        @JsonProperty("unconfirmed_calls") int unconfirmedCalls) {

    public static final int OK = 0;
    public static final int COST_HALT = 3;

    public RunSummary(int selected, int scored, int cached, int failed, int cropped, int skipped, int providerCalls,
                      double costUsd, boolean halted, int exitCode, boolean dryRun, int wouldScore,
                      double estimatedCostUsd, String manifest, String report, List<Problem> problems) {
        this(selected, scored, cached, failed, cropped, skipped, providerCalls, costUsd, halted, exitCode, dryRun,
                wouldScore, estimatedCostUsd, manifest, report, problems, null, 0);
    }

    /** A summary with nothing charged as unconfirmed. */
    public RunSummary(int selected, int scored, int cached, int failed, int cropped, int skipped, int providerCalls,
                      double costUsd, boolean halted, int exitCode, boolean dryRun, int wouldScore,
                      double estimatedCostUsd, String manifest, String report, List<Problem> problems,
                      String estimateBasis, int dropped) {
        this(selected, scored, cached, failed, cropped, skipped, providerCalls, costUsd, halted, exitCode, dryRun,
                wouldScore, estimatedCostUsd, manifest, report, problems, estimateBasis, dropped, 0, 0);
    }
}
