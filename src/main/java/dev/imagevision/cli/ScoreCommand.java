package dev.imagevision.cli;

import dev.imagevision.ledger.Prices;
import dev.imagevision.pipeline.Pipeline;
import dev.imagevision.inventory.Problem;
import dev.imagevision.pipeline.RunOptions;
import dev.imagevision.pipeline.RunSummary;
import dev.imagevision.scope.GitChanges;
import dev.imagevision.scope.Scope;
import dev.imagevision.scope.ScopeRequest;
import dev.imagevision.site.Json;
import dev.imagevision.site.Site;
import dev.imagevision.site.SiteConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code imagevision score}: the pipeline over the images in scope. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Score, crop and write the manifest and audit report for the images in scope. "
                + "With no scope flag only new or changed images are processed (--new-only).")
public final class ScoreCommand implements Callable<Integer> {
    @Mixin
    SiteOptions site;

    @Mixin
    ScoreOptions flags;
    @Option(names = "--batch", description = "Send fresh scores through the Anthropic Message Batches API at half price; "
            + "waits for the batch (a killed run resumes it). Needs --provider anthropic.")
    boolean batch;

    /** The process environment; tests set their own. */
    Map<String, String> environment = System.getenv();

    @Spec
    CommandSpec spec;


    @Override
    public Integer call() throws Exception {
        flags.check();
        if (batch && flags.skipScoring()) throw new IllegalArgumentException("--batch and --skip-scoring contradict each other");
        Site loaded = site.load();
        String providerName = site.providerName(loaded.config());
        if (batch && !providerName.equals("anthropic")) {
            throw new IllegalArgumentException("--batch uses the Anthropic Message Batches API; it needs --provider anthropic");
        }
        ScopeRequest req = flags.scope(flags.changedSince() == null ? null : changed(loaded));
        Scope.validate(loaded.sources(), req, loaded.config().fleetAssets(), loaded.missions().keySet());
        var codec = new dev.imagevision.crop.OpenCvCodec(); // the one imaging library of the run, shared by every stage
        var provider = Providers.choose(providerName, loaded, environment, codec);
        PrintWriter err = spec.commandLine().getErr();
        if (provider.paid() && Prices.known(provider.model()).isEmpty()) {
            err.println("note: the price table does not know model \"" + Terminal.clean(provider.model()) + "\"; its calls "
                    + "are counted at the dearest listed price so the cost limits still protect");
        }
        var log = new java.io.PrintStream(new LineOutput(err), true, StandardCharsets.UTF_8);
        RunOptions options = new RunOptions(req, flags.forceScore(), flags.skipScoring(), flags.skipCrops(), flags.dryRun(),
                provider, Clocks.fromEnvironment(environment),
                TerminalProgress.forEnvironment(flags.json()), log, flags.writeReport(), batch, codec);
        RunSummary summary = Pipeline.run(loaded, options);
        printLines(summary, req.describe(), site.providerName(loaded.config()), spec.commandLine().getErr());
        if (flags.json()) {
            PrintWriter out = spec.commandLine().getOut();
            out.println(Json.COMPACT.writeValueAsString(summary));
            out.flush();
        }
        return summary.exitCode();
    }

    /** The pipeline's log lines into the command's stderr writer, decoded as UTF-8 a whole line at a time. */
    public static final class LineOutput extends java.io.OutputStream {
        private final PrintWriter err;
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

        public LineOutput(PrintWriter err) {
            this.err = err;
        }

        @Override
        public synchronized void write(int b) {
            line.write(b);
            if (b == '\n') flush();
        }

        @Override
        public synchronized void flush() {
            if (line.size() > 0) {
                err.write(Terminal.clean(line.toString(StandardCharsets.UTF_8)));
                line.reset();
            }
            err.flush();
        }
    }

    private Set<String> changed(Site loaded) {
        SiteConfig.Paths p = loaded.config().paths();
        return GitChanges.since(loaded.root().root(), loaded.root().staticDir(), loaded.file(p.provenance()),
                flags.changedSince());
    }

    /** The run's lines for people on stderr: each problem, then what the run did (or would do). */
    public static void printLines(RunSummary s, String scope, String providerName, PrintWriter err) {
        for (Problem p : s.problems()) {
            if (p.deferred()) continue; // counted on the halted line: a limit, not a fault of each image
            err.println("  failed  " + Terminal.clean(p.path()) + " [" + p.stage() + "]: " + Terminal.clean(p.message()));
        }
        if (s.dryRun()) {
            err.printf(Locale.ROOT, "dry run, %s: %s in scope, %d would be scored with %s, estimated $%.2f%s%s; nothing was written%n",
                    scope, Terminal.count(s.selected(), "image"), s.wouldScore(), providerName, s.estimatedCostUsd(),
                    s.adopted() == 0 ? "" : ", " + s.adopted() + " judged by the site's previous tool would be adopted without a call",
                    s.dropped() == 0 ? "" : ", " + s.dropped() + " manifest " + (s.dropped() == 1 ? "entry" : "entries") + " would be dropped");
            if (s.estimateBasis() != null) err.println("  estimate: " + Terminal.clean(s.estimateBasis()));
        } else {
            err.printf(Locale.ROOT, "%s: %d in scope · %d scored · %d cached · %s%d failed · %d cropped · %d skipped · %d provider calls · $%.4f%s%n",
                    scope, s.selected(), s.scored(), s.cached(), s.adopted() == 0 ? "" : s.adopted() + " adopted · ",
                    s.failed(), s.cropped(), s.skipped(), s.providerCalls(), s.costUsd(), s.unconfirmedCalls() == 0 ? ""
                            : String.format(Locale.ROOT, " + $%.4f unconfirmed (%d %s with no usage to trust, charged at %s "
                                    + "ceiling in the ledger)", s.unconfirmedUsd(), s.unconfirmedCalls(),
                            s.unconfirmedCalls() == 1 ? "call" : "calls", s.unconfirmedCalls() == 1 ? "its" : "their"));
            err.println("manifest: " + s.manifest() + (s.report() == null ? "" : " · report: " + s.report()));
            if (s.halted()) {
                err.printf(Locale.ROOT, "halted: the hard cost limit (cost_hard_usd) stopped new calls; %s not scored "
                        + "(\"deferred\" in --json) and the next run continues with them (exit code %d)%n",
                        s.deferred() + (s.deferred() == 1 ? " image was" : " images were"), s.exitCode());
            }
        }
        err.flush();
    }
}
