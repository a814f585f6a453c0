package dev.imagevision.testing;

import dev.imagevision.pipeline.Pipeline;
import dev.imagevision.pipeline.Progress;
import dev.imagevision.judgements.ProviderChoice;
import dev.imagevision.pipeline.RunOptions;
import dev.imagevision.pipeline.RunSummary;
import dev.imagevision.scope.ScopeRequest;
import dev.imagevision.site.Site;
import dev.imagevision.vision.VisionProvider;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** Pipeline runs for tests: a fixed clock, no progress bar, log captured. */
public final class Runs {
    private Runs() {}

    public static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-01T12:00:00Z"), ZoneOffset.UTC);
    /** The imaging library the test runs use: stateless, so one serves every test. */
    public static final dev.imagevision.crop.OpenCvCodec CODEC = new dev.imagevision.crop.OpenCvCodec();

    public static RunSummary score(Path root, VisionProvider provider, ScopeRequest scope, boolean force,
                                   boolean skipScoring, boolean skipCrops) throws IOException {
        return score(root, provider, scope, force, skipScoring, skipCrops, new PrintStream(new ByteArrayOutputStream(), true));
    }

    /** A run whose log lines go to {@code log}. */
    public static RunSummary score(Path root, VisionProvider provider, ScopeRequest scope, boolean force,
                                   boolean skipScoring, boolean skipCrops, PrintStream log) throws IOException {
        Site site = Site.load(root);
        RunOptions o = new RunOptions(scope, force, skipScoring, skipCrops, false, ProviderChoice.of(provider), CLOCK,
                Progress.NONE, log, true, false, dev.imagevision.testing.Runs.CODEC);
        return Pipeline.run(site, o);
    }

    /** A run or, with {@code dryRun}, a dry run. */
    public static RunSummary score(Path root, VisionProvider provider, ScopeRequest scope, boolean force,
                                   boolean skipScoring, boolean skipCrops, boolean dryRun) throws IOException {
        RunOptions o = new RunOptions(scope, force, skipScoring, skipCrops, dryRun, ProviderChoice.of(provider), CLOCK,
                Progress.NONE, new PrintStream(new ByteArrayOutputStream(), true), true, false, CODEC);
        return Pipeline.run(Site.load(root), o);
    }

    public static RunSummary score(Path root, VisionProvider provider) throws IOException {
        return score(root, provider, ScopeRequest.defaults(), false, false, false);
    }
}
