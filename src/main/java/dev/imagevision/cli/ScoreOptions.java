package dev.imagevision.cli;

import dev.imagevision.scope.ScopeRequest;
import picocli.CommandLine.Option;

import java.util.Set;

/**
 * The flags of {@code score} that say which images a run takes and what it does to them: shared by
 * {@code imagevision score} and the Spark engine's {@code imagevision-spark score}, so both parse
 * them alike.
 */
public final class ScoreOptions {
    @Option(names = "--mission", paramLabel = "ID", description = "Only this mission's images (/images/missions/ID/… and /images/missions/ID.jpg).")
    String mission;
    @Option(names = "--agency", paramLabel = "NAME", description = "Only images whose provenance agency names NAME (whole word, any case).")
    String agency;
    @Option(names = "--source", paramLabel = "TYPE", description = "Only images with this provenance source_type.")
    String source;
    @Option(names = "--fleet-asset", paramLabel = "TYPE", description = "Only this fleet-asset type (configured path patterns; default types: galleries, heroes, patches, portraits).")
    String fleetAsset;
    @Option(names = "--segment", paramLabel = "NAME", description = "Only images under /images/NAME/.")
    String segment;
    @Option(names = "--changed-since", paramLabel = "REF", description = "Only images whose file or provenance row changed since this git ref.")
    String changedSince;
    @Option(names = "--new-only", description = "Only images without a manifest entry or whose cache inputs changed (the default when no scope flag is given).")
    boolean newOnly;
    @Option(names = "--all", description = "The whole corpus (cached scores are still reused unless --force-score).")
    boolean all;
    @Option(names = "--force-score", description = "Ignore cached scores for the images in scope and ask the provider again.")
    boolean forceScore;
    @Option(names = "--skip-scoring", description = "Never call the provider; re-crop from cached scores (a missing score is reported).")
    boolean skipScoring;
    @Option(names = "--skip-crops", description = "Do not cut variants; existing variant paths are kept.")
    boolean skipCrops;
    @Option(names = "--dry-run", description = "Print how many images would be scored and the estimated cost; spend and write nothing.")
    boolean dryRun;
    @Option(names = "--json", description = "Print the run summary as one JSON object on stdout.")
    boolean json;
    @Option(names = "--no-report", description = "Do not write the audit report at the end of the run.")
    boolean noReport;

    /** Flags that contradict each other are a usage error. */
    public void check() {
        if (forceScore && skipScoring) throw new IllegalArgumentException("--force-score and --skip-scoring contradict each other");
    }

    /** @param changed the paths {@code --changed-since} found changed, or null without that flag */
    public ScopeRequest scope(Set<String> changed) {
        return new ScopeRequest(mission, agency, source, fleetAsset, segment, changed, all, newOnly);
    }

    public String changedSince() {
        return changedSince;
    }

    public boolean forceScore() {
        return forceScore;
    }

    public boolean skipScoring() {
        return skipScoring;
    }

    public boolean skipCrops() {
        return skipCrops;
    }

    public boolean dryRun() {
        return dryRun;
    }

    public boolean json() {
        return json;
    }

    public boolean writeReport() {
        return !noReport;
    }
}
