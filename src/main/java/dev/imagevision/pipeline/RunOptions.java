package dev.imagevision.pipeline;

import dev.imagevision.scope.ScopeRequest;

import java.io.PrintStream;
import java.time.Clock;

/**
 * How one {@code score} run behaves besides its scope.
 *
 * @param log   where human-facing lines go (stderr in the CLI)
 * @param batch fresh scores go through the provider's batch API (half price, asynchronous)
 */
public record RunOptions(ScopeRequest scope, boolean forceScore, boolean skipScoring, boolean skipCrops,
                         boolean dryRun, ProviderChoice provider, Clock clock, Progress progress, PrintStream log,
                         boolean writeReport, boolean batch) {

    public RunOptions(ScopeRequest scope, boolean forceScore, boolean skipScoring, boolean skipCrops, boolean dryRun,
                      ProviderChoice provider, Clock clock, Progress progress, PrintStream log, boolean writeReport) {
        this(scope, forceScore, skipScoring, skipCrops, dryRun, provider, clock, progress, log, writeReport, false);
    }
}
