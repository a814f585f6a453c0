package dev.imagevision.pipeline;

import dev.imagevision.crop.ImageCodec;
import dev.imagevision.judgements.ProviderChoice;
import dev.imagevision.scope.ScopeRequest;

import java.io.PrintStream;
import java.time.Clock;

/**
 * How one {@code score} run behaves besides its scope, and the tools it works with.
 *
 * @param log   where human-facing lines go (stderr in the CLI)
 * @param batch fresh scores go through the provider's batch API (half price, asynchronous)
 * @param codec the imaging library, built once at the edge (the CLI, a test, a Spark executor)
 */
public record RunOptions(ScopeRequest scope, boolean forceScore, boolean skipScoring, boolean skipCrops,
                         boolean dryRun, ProviderChoice provider, Clock clock, Progress progress, PrintStream log,
                         boolean writeReport, boolean batch, ImageCodec codec) {}
