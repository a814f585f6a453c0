package dev.imagevision.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** What a run did, printed for people and, with {@code --json}, as one JSON object on stdout. */
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
        @JsonProperty("problems") List<Problem> problems) {}
